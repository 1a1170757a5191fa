using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Provisioner.Core.Audit;
using Provisioner.Core.Images;

namespace Provisioner.Host.Cli;

/// <summary><c>provisioner images build NAME | list [--json]</c>: OS images built from the appliance's mirror.</summary>
internal static class ImagesCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The image: its definition is NAME.json in the images directory (Images:Directory, default ./images)" };
        var build = new Command("build", "Build a new version of an image with mmdebstrap from the appliance's package mirror (the appliance must be running; needs root). The previous version stays served until this one is complete.") { name };
        build.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, async services =>
        {
            ImageBuilder builder = services.GetRequiredService<ImageBuilder>();
            await services.GetRequiredService<AuditTrail>().RecordAsync(DateTimeOffset.UtcNow, AuditActions.ImageBuild, parse.GetValue(name)!, null, ct).ConfigureAwait(false);
            string? last = null;
            ImageBuildStatus status;
            try
            {
                status = await builder.BuildAsync(parse.GetValue(name)!, s =>
                {
                    string line = string.Create(CultureInfo.InvariantCulture, $"[{s.Percent,3}%] {s.Step}{(s.Message is null || s.State != ImageBuildState.Running ? string.Empty : ": " + s.Message)}");
                    if (line != last && s.State == ImageBuildState.Running)
                    {
                        Console.WriteLine(line);
                        last = line;
                    }
                }, ct).ConfigureAwait(false);
            }
            catch (ImageBuildException refused)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, refused.Message).ConfigureAwait(false);
            }
            if (status.State != ImageBuildState.Succeeded)
            {
                return await InventoryCommandContext.Fail(InventoryCommandContext.Refused, $"image {status.Name} {status.Version} {status.State.ToString().ToLowerInvariant()}: {status.Message} (log: {builder.Store.LogFile(status.Name)})").ConfigureAwait(false);
            }
            Console.WriteLine($"{status.Name} {status.Message}");
            return 0;
        }, ct));

        var json = new Option<bool>("--json") { Description = "Print JSON: each image with its definition, versions (manifests) and latest build" };
        var list = new Command("list", "Images: definition, the version served and the latest build.") { json };
        list.SetAction((parse, ct) => InventoryCommandContext.RunAsync(parse, services =>
        {
            IReadOnlyList<ImageSummary> images = services.GetRequiredService<ImageBuilds>().List();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(images, HostsCommand.Json));
                return Task.FromResult(0);
            }
            foreach (ImageSummary image in images)
            {
                ImageManifest? current = image.Versions is [var newest, ..] ? newest : null;
                string served = current is null ? "not built" : string.Create(CultureInfo.InvariantCulture, $"{current.Version} ({current.Packages.Count} packages, {current.Files.Sum(f => f.Size)} bytes)");
                string lastBuild = image.LastBuild is { } b ? $"; last build {b.Version} {b.State.ToString().ToLowerInvariant()}{(b.Message is null ? string.Empty : ": " + b.Message)}" : string.Empty;
                Console.WriteLine($"{image.Name,-16} {served}{lastBuild}{(image.DefinitionError is null ? string.Empty : $" [{image.DefinitionError}]")}");
            }
            return Task.FromResult(0);
        }, ct));

        var command = new Command("images", "OS images built on the appliance (mmdebstrap, squashfs) for machines to boot and deploy.") { build, list };
        InventoryCommandContext.AddOptions(command);
        return command;
    }
}
