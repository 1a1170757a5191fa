using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Images;

/// <summary>An image as the Images page and <c>provisioner images list</c> show it: its definition, built versions and latest build.</summary>
public sealed record ImageSummary(string Name, ImageDefinition? Definition, string? DefinitionError, IReadOnlyList<ImageManifest> Versions, ImageBuildStatus? LastBuild);

/// <summary>
/// Image builds the appliance runs (the Images page's button), one at a time per image, in the
/// background; stopping the appliance stops them (the previous version stays). Builds the CLI runs in
/// its own process show here too: their status is the same file.
/// </summary>
public sealed class ImageBuilds(ImageBuilder builder, IOptions<ImageOptions> options) : IHostedService, IDisposable
{
    private readonly Dictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public ImageStore Store => builder.Store;

    /// <summary>Every definition in the images directory, and images built from one no longer there.</summary>
    public IReadOnlyList<ImageSummary> List()
    {
        var summaries = ImageDefinition.ReadAll(options.Value.Directory)
            .Select(d => new ImageSummary(d.Name, d.Definition, d.Error, Store.Versions(d.Name), Store.Status(d.Name)))
            .ToList();
        if (Directory.Exists(Store.Root))
        {
            foreach (string name in Directory.GetDirectories(Store.Root).Select(Path.GetFileName).OfType<string>().Where(n => summaries.All(s => s.Name != n)).Order(StringComparer.Ordinal))
            {
                summaries.Add(new ImageSummary(name, null, $"no definition {name}.json in {options.Value.Directory}", Store.Versions(name), Store.Status(name)));
            }
        }
        return summaries;
    }

    /// <summary>
    /// Something about the builds changed since a caller last looked (a step, an end, here or in the CLI):
    /// the newest write time of their status files.
    /// </summary>
    public long Version => Directory.Exists(Store.Root)
        ? Directory.GetDirectories(Store.Root).Select(d => File.GetLastWriteTimeUtc(Path.Join(d, "build.json")).Ticks).DefaultIfEmpty(0).Max()
        : 0;

    /// <summary>Starts a build of <paramref name="name"/> in the background; once it has begun (or could not), why not, or null.</summary>
    public async Task<string?> BeginAsync(string name)
    {
        if (!ImageDefinition.TryRead(options.Value.Directory, name, out _, out string? error))
        {
            return error;
        }
        var begun = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_running)
        {
            if (_running.ContainsKey(name))
            {
                return $"a build of {name} is already running";
            }
            _running[name] = Task.Run(async () =>
            {
                try
                {
                    await builder.BuildAsync(name, _ => begun.TrySetResult(null), _stopping.Token).ConfigureAwait(false);
                }
                catch (ImageBuildException refused)
                {
                    begun.TrySetResult(refused.Message);
                }
                finally
                {
                    // Whatever ended it, the caller is not left waiting.
                    begun.TrySetResult($"the build of {name} ended before it began");
                    lock (_running)
                    {
                        _running.Remove(name);
                    }
                }
            });
        }
        return await begun.Task.ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task[] running;
        lock (_running)
        {
            running = [.. _running.Values];
        }
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();
}
