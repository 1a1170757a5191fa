using System.Globalization;
using System.Text;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// OpenIPMI's <c>ipmi_sim</c> (Debian <c>openipmi</c>) as a machine's BMC: IPMI 2.0 over LAN (RMCP+) on
/// <c>address:port</c> inside a namespace the test made, one admin user. Power and the boot device go to
/// its <c>chassis_control</c> program, written here: "power on" starts the QEMU command it was given
/// (daemonized, so its PID is in <c>vm.pid</c>), "off" kills it, "soft" asks QEMU for an ACPI power-button
/// press (QMP <c>system_powerdown</c>), "reset" resets it, and the boot device is kept in a file. Every
/// request ipmi_sim passes on is appended to <see cref="Requests"/>. The VM has the BMC as a server does:
/// QEMU's <c>ipmi-bmc-extern</c> on <c>isa-ipmi-kcs</c>, connected to ipmi_sim's system interface. (ipmi_sim
/// sends power requests to the chassis program whenever one is set, and knows no other way to take a boot
/// device, so the program starts the VM rather than ipmi_sim's own <c>startcmd</c>.) Stopped with the
/// <see cref="NamespaceLab"/>; the VM by the namespace's deletion, which kills what is left in it.
/// </summary>
internal sealed class IpmiSimulator
{
    public const string User = "admin";
    private readonly string _dir;

    private IpmiSimulator(string dir, string address) => (_dir, Address) = (dir, address);

    /// <summary>The BMC's address as the appliance is given it (<c>host:port</c>).</summary>
    public string Address { get; }

    /// <summary>What ipmi_sim asked its chassis program, one request per line ("get power", "set boot pxe", "set power 1").</summary>
    public string Requests => File.Exists(Path.Join(_dir, "requests.log")) ? File.ReadAllText(Path.Join(_dir, "requests.log")) : string.Empty;

    /// <summary>The VM's PID while it runs (its pidfile names a live process), else null.</summary>
    public int? VmPid =>
        File.Exists(Path.Join(_dir, "vm.pid")) && int.TryParse(File.ReadAllText(Path.Join(_dir, "vm.pid")).Trim(), CultureInfo.InvariantCulture, out int pid)
        && Directory.Exists($"/proc/{pid}") ? pid : null;

    /// <param name="vm">The QEMU command "power on" runs; null for a BMC whose machine is only a flag (power tests without a VM).</param>
    public static async Task<IpmiSimulator> StartAsync(NamespaceLab lab, NetworkNamespace ns, string dir, string ip, int port, string password, string[]? vm)
    {
        Directory.CreateDirectory(dir);
        Directory.CreateDirectory(Path.Join(dir, "state"));
        var sim = new IpmiSimulator(dir, $"{ip}:{port}");
        // The VM's side of the BMC: QEMU's external BMC device on a KCS interface, connected to ipmi_sim's
        // system interface (channel 15, the "VM" codec), so the guest has this BMC as a server has its own.
        int vmPort = VmPort(port);
        string[]? machine = vm is null ? null : [.. vm, "-chardev", $"socket,id=ipmi0,host=127.0.0.1,port={vmPort},reconnect=10",
            "-device", "ipmi-bmc-extern,chardev=ipmi0,id=bmc0", "-device", "isa-ipmi-kcs,bmc=bmc0"];
        string chassis = Path.Join(dir, "chassis.sh");
        await File.WriteAllTextAsync(chassis, ChassisProgram(dir, machine));
        File.SetUnixFileMode(chassis, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(Path.Join(dir, "lan.conf"), $"""
            name "bmc{port}"
            set_working_mc 0x20
              startlan 1
                addr {ip} {port}
                priv_limit admin
                allowed_auths_callback none md2 md5 straight
                allowed_auths_user none md2 md5 straight
                allowed_auths_operator none md2 md5 straight
                allowed_auths_admin none md2 md5 straight
                guid a123456789abcdefa123456789abcdef
              endlan
              {(vm is null ? string.Empty : $"serial 15 127.0.0.1 {vmPort} codec VM")}
              chassis_control "{chassis}"
              user 2 true "{User}" "{password}" admin 10 none md2 md5 straight

            """);
        // A BMC with chassis functions (device support 0x9f) at IPMB address 0x20.
        await File.WriteAllTextAsync(Path.Join(dir, "sim.emu"), """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20

            """);
        Func<string> output = lab.Start(ns, dir, "ipmi_sim", "-c", Path.Join(dir, "lan.conf"), "-f", Path.Join(dir, "sim.emu"), "-s", Path.Join(dir, "state"), "-n");
        // Up when a whole RMCP+ session works: ipmitool reads the power state.
        await NamespaceLab.WaitForAsync(async () =>
            (await ProcessRunner.RunAsync("ip", ns.Exec("ipmitool", "-I", "lanplus", "-C", "3", "-H", ip, "-p", $"{port}", "-U", User, "-P", password, "-N", "1", "-R", "1",
                "chassis", "power", "status"), TimeSpan.FromSeconds(10))).ExitCode == 0,
            TimeSpan.FromSeconds(30), $"ipmi_sim on {ip}:{port} ({output()})");
        return sim;
    }

    /// <summary>The TCP port on the namespace's loopback where ipmi_sim takes the VM's connection (<c>ipmi-bmc-extern</c>).</summary>
    public static int VmPort(int lanPort) => lanPort + 9000;

    private static string ChassisProgram(string dir, string[]? vm)
    {
        string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        string start = vm is null ? $"sleep 100000 & echo $! > {Quote(Path.Join(dir, "vm.pid"))}"
            : string.Join(' ', vm.Select(Quote)) + $" -daemonize -pidfile {Quote(Path.Join(dir, "vm.pid"))}";
        string qmp = vm?.SkipWhile(a => a != "-qmp").Skip(1).FirstOrDefault() is { } spec ? spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..spec.IndexOf(',', StringComparison.Ordinal)] : string.Empty;
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $$"""
            #!/bin/sh
            # ipmi_sim's chassis_control program: "chassis.sh get power boot", "chassis.sh set power 1", "set boot pxe", "set reset 1", "set shutdown 1".
            dir={{Quote(dir)}}
            echo "$*" >> "$dir/requests.log"
            running() { [ -f "$dir/vm.pid" ] && kill -0 "$(cat "$dir/vm.pid")" 2>/dev/null; }
            qmp() { [ -n {{Quote(qmp)}} ] && printf '{"execute":"qmp_capabilities"}{"execute":"%s"}' "$1" | socat - UNIX-CONNECT:{{Quote(qmp)}} >/dev/null 2>&1; return 0; }
            op=$1; shift
            if [ "$op" = get ]; then
              for what in "$@"; do
                case $what in
                  power) if running; then echo "power:1"; else echo "power:0"; fi ;;
                  boot) echo "boot:$(cat "$dir/boot" 2>/dev/null || echo default)" ;;
                esac
              done
              exit 0
            fi
            while [ $# -ge 2 ]; do
              case $1 in
                power) if [ "$2" = 1 ]; then running || { {{start}} ; } >/dev/null 2>&1 </dev/null;
                       else if running; then kill "$(cat "$dir/vm.pid")"; fi; rm -f "$dir/vm.pid"; fi ;;
                reset) running && qmp system_reset ;;
                shutdown) running && qmp system_powerdown ;;
                boot) echo "$2" > "$dir/boot" ;;
              esac
              shift 2
            done
            exit 0

            """);
        return script.ToString();
    }
}
