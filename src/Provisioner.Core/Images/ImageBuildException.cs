namespace Provisioner.Core.Images;

/// <summary>A build that cannot start or did not finish: the message says why, in the operator's terms.</summary>
public sealed class ImageBuildException(string message) : Exception(message);
