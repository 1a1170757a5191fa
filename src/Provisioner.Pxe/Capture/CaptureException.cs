namespace Provisioner.Pxe.Capture;

/// <summary>An interface that cannot be captured on; start-up stops with this one line.</summary>
public sealed class CaptureException(string message, Exception? inner = null) : Exception(message, inner);
