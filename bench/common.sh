# Sourced by the bench scripts: a scratch directory removed on exit (kept with KEEP=1), the PIDs
# of servers started (stopped on exit, by PID), and free loopback ports.

bench_init() { # prefix
  work=$(mktemp -d "/tmp/provisioner-$1-XXXXXX")
  chmod 755 "$work"
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "${KEEP:-}" ] || rm -rf "$work"
}

free_port() { # udp|tcp
  python3 -c 'import socket,sys;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])' "$1"
}

nginx_config() { # the lines inside http { } -> $work/nginx.conf: one worker, its files and temp files in $work
  mkdir -p "$work/nginx-tmp"
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  client_body_temp_path $work/nginx-tmp; proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
$1
}
CONF
}
