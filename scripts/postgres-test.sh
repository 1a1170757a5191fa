# Sourced by test.sh: a local PostgreSQL for the inventory tests, started by its cluster tools
# (Debian's postgresql package), listening on 127.0.0.1 only, with a role that may create the
# per-test databases. Idempotent. Exports PROVISIONER_TEST_POSTGRES (TCP) and
# PROVISIONER_TEST_POSTGRES_SOCKET (the directory of its Unix socket).

postgres_for_tests() {
  apt_ensure postgresql
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local version cluster
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')
  if [ -z "$cluster" ]; then
    $sudo pg_createcluster "$version" main >/dev/null
    cluster=main
  fi
  local conf="/etc/postgresql/$version/$cluster/conf.d/provisioner-tests.conf"
  if [ ! -e "$conf" ]; then
    printf "listen_addresses = '127.0.0.1'\nfsync = on\n" | $sudo tee "$conf" >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }' | grep -q online; then
    $sudo pg_ctlcluster "$version" "$cluster" start
  fi
  # The multi-appliance tests run appliances in network namespaces, which reach the server through
  # its Unix socket (a file, shared across namespaces) with the test role's password.
  local hba="/etc/postgresql/$version/$cluster/pg_hba.conf"
  if ! grep -q '^local all provisioner_test scram-sha-256' "$hba"; then
    $sudo sed -i '1i local all provisioner_test scram-sha-256' "$hba"
    $sudo pg_ctlcluster "$version" "$cluster" reload
  fi
  local port
  port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.2; done
  local as_postgres=(runuser -u postgres --)
  [ "$(id -u)" -ne 0 ] && as_postgres=(sudo -u postgres)
  "${as_postgres[@]}" psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'provisioner_test') THEN
    CREATE ROLE provisioner_test LOGIN CREATEDB PASSWORD 'provisioner_test';
  END IF;
END $$;
SQL
  export PROVISIONER_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=provisioner_test;Password=provisioner_test;Database=postgres"
  export PROVISIONER_TEST_POSTGRES_SOCKET=/var/run/postgresql
}
