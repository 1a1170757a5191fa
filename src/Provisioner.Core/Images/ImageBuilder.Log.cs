using Microsoft.Extensions.Logging;

namespace Provisioner.Core.Images;

public sealed partial class ImageBuilder
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Image {Name} {Version}: {Step} {Detail}")]
        public static partial void Step(ILogger logger, string name, string version, string step, string detail);

        [LoggerMessage(Level = LogLevel.Information, Message = "Image {Name} {Message}")]
        public static partial void Succeeded(ILogger logger, string name, string message);

        [LoggerMessage(Level = LogLevel.Error, Message = "Image {Name} {Version} failed: {Message}")]
        public static partial void Failed(ILogger logger, string name, string version, string message);
    }
}
