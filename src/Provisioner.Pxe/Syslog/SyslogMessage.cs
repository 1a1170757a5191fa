namespace Provisioner.Pxe.Syslog;

/// <summary>One syslog datagram, as much as the receiver needs of it.</summary>
/// <param name="Facility">RFC 5424 §6.2.1: 0–23.</param>
/// <param name="Severity">0 (emergency) – 7 (debug).</param>
/// <param name="Tag">The program that logged (<c>main-menu</c>), without its <c>[pid]</c>; empty when there is none.</param>
/// <param name="Text">The line as a log file shows it after the timestamp and host: <c>main-menu[123]: INFO: …</c>.</param>
public sealed record SyslogMessage(int Facility, int Severity, string Tag, string Text);
