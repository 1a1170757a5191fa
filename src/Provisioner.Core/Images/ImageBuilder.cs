using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Provisioner.Core.Images;

/// <summary>
/// Builds an image from its definition with Debian's own tools, against the appliance's package mirror
/// (so the second build of an image fetches nothing upstream but index files): <c>mmdebstrap</c> makes
/// the root filesystem, its kernel and initrd are copied out, <c>dpkg-query</c> lists what went in and
/// <c>mksquashfs</c> packs it. The new version appears only when all of it succeeded; a failed or
/// interrupted build leaves the previous version served. Needs root (mmdebstrap's root mode).
/// </summary>
public sealed partial class ImageBuilder(ImageStore store, IOptions<ImageOptions> options, TimeProvider time, ILogger<ImageBuilder> logger)
{
    private readonly ImageStore _store = store;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>mmdebstrap's own stages, as it announces them, and how far along each puts the build.</summary>
    private static readonly (string Line, int Percent, string Step)[] Stages =
    [
        ("I: downloading packages", 10, "downloading packages"),
        ("I: extracting archives", 30, "extracting packages"),
        ("I: installing essential packages", 40, "installing essential packages"),
        ("I: installing remaining packages", 50, "installing packages"),
        ("I: cleaning package lists", 68, "cleaning up"),
    ];

    private readonly ImageOptions _options = options.Value;

    public ImageStore Store => _store;

    /// <summary>
    /// Builds <paramref name="name"/>; <paramref name="progressed"/> hears each step. The final status
    /// (succeeded or failed, with the reason). Throws <see cref="ImageBuildException"/> only when the build
    /// cannot start (no such definition, another build of it running).
    /// </summary>
    public async Task<ImageBuildStatus> BuildAsync(string name, Action<ImageBuildStatus>? progressed, CancellationToken cancel)
    {
        if (!ImageDefinition.TryRead(_options.Directory, name, out ImageDefinition? definition, out string? error))
        {
            throw new ImageBuildException(error!);
        }
        Directory.CreateDirectory(_store.Dir(name));
        ImageBuildState state;
        string message;
        Run run;
        // The lock is held until the scratch tree is gone, and the end is told after: whoever sees the
        // build ended may start the next one at once.
        using (FileStream buildLock = Lock(name))
        {
            foreach (string leftover in Directory.GetDirectories(_store.Dir(name), ".build-*"))
            {
                Mounts.DeleteTree(leftover);
            }
            string version = _time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            string work = Path.Join(_store.Dir(name), ".build-" + version);
            run = new Run(this, definition!, version, progressed);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(_options.BuildTimeout);
            try
            {
                ImageManifest manifest = await BuildCoreAsync(run, work, timeout.Token).ConfigureAwait(false);
                IReadOnlyList<string> pruned = _store.Prune(name, _options.Keep);
                (state, message) = (ImageBuildState.Succeeded, $"built {version}: {manifest.Packages.Count} packages, {manifest.Files.Sum(f => f.Size) / 1_000_000} MB"
                    + (pruned.Count > 0 ? $"; removed {string.Join(", ", pruned)}" : string.Empty));
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                (state, message) = cancel.IsCancellationRequested
                    ? (ImageBuildState.Interrupted, "stopped")
                    : (ImageBuildState.Failed, $"stopped after {_options.BuildTimeout} (Images:BuildTimeout)");
            }
            catch (ImageBuildException failed)
            {
                (state, message) = (ImageBuildState.Failed, failed.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                (state, message) = (ImageBuildState.Failed, ex.Message);
            }
            message += Cleanup(work);
        }
        using (run)
        {
            return run.End(state, message);
        }
    }

    private async Task<ImageManifest> BuildCoreAsync(Run run, string work, CancellationToken cancel)
    {
        ImageDefinition definition = run.Definition;
        string mirror = _options.MirrorUrl.TrimEnd('/');
        run.Step("checking the mirror", 1, $"{mirror}/{definition.Archive}/");
        await CheckMirrorAsync($"{mirror}/{definition.Archive}/dists/{definition.Suite}/InRelease", cancel).ConfigureAwait(false);

        string root = Path.Join(work, "root");
        string output = Path.Join(work, "out");
        Directory.CreateDirectory(output);
        run.Step("mmdebstrap", 5, $"{definition.Suite} {definition.Architecture}, {definition.Packages.Count} packages besides {definition.Variant}");
        string components = string.Join(' ', definition.Components);
        List<string> sources =
        [
            $"deb {mirror}/{definition.Archive} {definition.Suite} {components}",
            $"deb {mirror}/{definition.Archive} {definition.Suite}-updates {components}",
        ];
        if (definition.SecurityArchive.Length > 0)
        {
            sources.Add($"deb {mirror}/{definition.SecurityArchive} {definition.Suite}-security {components}");
        }
        await ToolAsync(run, "mmdebstrap",
            [$"--variant={definition.Variant}", $"--architectures={definition.Architecture}", $"--components={string.Join(',', definition.Components)}",
             .. definition.Packages.Count > 0 ? [$"--include={string.Join(',', definition.Packages)}"] : Array.Empty<string>(),
             "--aptopt=Acquire::Retries \"3\"", definition.Suite, root, .. sources], cancel).ConfigureAwait(false);

        // The deploy agent's bootstrap: inert unless a deploy boot config names a deploy URL (see DeployFiles).
        Deploy.DeployFiles.InstallBootstrap(root);
        long rootBytes = TreeBytes(root);

        run.Step("kernel and initrd", 70, null);
        string kernel = Directory.GetFiles(Path.Join(root, "boot"), "vmlinuz-*").Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new ImageBuildException("the image has no kernel (/boot/vmlinuz-*): add linux-image-amd64 (or your architecture's) to its packages");
        string initrd = Path.Join(root, "boot", "initrd.img-" + Path.GetFileName(kernel)["vmlinuz-".Length..]);
        if (!File.Exists(initrd))
        {
            throw new ImageBuildException($"the image has no initrd for {Path.GetFileName(kernel)}: add initramfs-tools to its packages");
        }
        File.Copy(kernel, Path.Join(output, ImageManifest.KernelFile));
        File.Copy(initrd, Path.Join(output, ImageManifest.InitrdFile));

        run.Step("listing packages", 72, null);
        ToolResult listed = await ToolAsync(run, "dpkg-query", [$"--admindir={Path.Join(root, "var/lib/dpkg")}", "-W", "-f=${Package}\t${Version}\n"], cancel, quiet: true).ConfigureAwait(false);
        List<ImagePackage> packages = listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t')).Where(f => f.Length == 2).Select(f => new ImagePackage(f[0], f[1])).ToList();

        run.Step("squashfs", 75, null);
        await ToolAsync(run, "mksquashfs", [root, Path.Join(output, ImageManifest.RootFile), "-comp", "zstd", "-noappend", "-no-progress"], cancel).ConfigureAwait(false);

        run.Step("manifest", 95, null);
        var files = new List<ImageFile>();
        foreach (string file in new[] { ImageManifest.RootFile, ImageManifest.KernelFile, ImageManifest.InitrdFile })
        {
            files.Add(await DescribeAsync(Path.Join(output, file), cancel).ConfigureAwait(false));
        }
        var manifest = new ImageManifest(definition.Name, run.Version, _time.GetUtcNow(), definition.Suite, definition.Architecture,
            definition.KernelCommandLine, files, packages, rootBytes);
        await File.WriteAllTextAsync(Path.Join(output, ImageManifest.FileName), System.Text.Json.JsonSerializer.Serialize(manifest, ImageStore.Json), cancel).ConfigureAwait(false);
        // One rename: the version appears complete, manifest and all, or not at all.
        Directory.Move(output, Path.Join(_store.Dir(definition.Name), run.Version));
        return manifest;
    }

    /// <summary>What the root's regular files take (their sizes, not blocks): a deploy's disk must hold that.</summary>
    private static long TreeBytes(string root) =>
        new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
            .Sum(f => f.Length);

    private static async Task<ToolResult> ToolAsync(Run run, string tool, IReadOnlyList<string> arguments, CancellationToken cancel, bool quiet = false)
    {
        ToolResult result = await ToolProcess.RunAsync(tool, arguments, quiet ? null : run.Line, cancel).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            IEnumerable<string> errors = result.LastLines.Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.Contains("rror", StringComparison.Ordinal));
            string said = string.Join(" | ", (errors.Any() ? errors : result.LastLines.TakeLast(3)).Take(4));
            throw new ImageBuildException($"{tool} failed (exit {result.ExitCode}): {said}");
        }
        return result;
    }

    private static async Task CheckMirrorAsync(string url, CancellationToken cancel)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            using HttpResponseMessage answer = await client.GetAsync(url, cancel).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                string body = await answer.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
                throw new ImageBuildException($"the mirror answered {(int)answer.StatusCode} for {url}: {body[..Math.Min(body.Length, 300)]}");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
        {
            throw new ImageBuildException($"the mirror at {url} does not answer ({ex.Message}); images are built from the appliance's mirror: is provisioner serve running, and is Images:MirrorUrl its address?");
        }
    }

    private static async Task<ImageFile> DescribeAsync(string path, CancellationToken cancel)
    {
        await using FileStream stream = File.OpenRead(path);
        byte[] hash = await SHA256.HashDataAsync(stream, cancel).ConfigureAwait(false);
        return new ImageFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }

    private FileStream Lock(string name)
    {
        string path = Path.Join(_store.Dir(name), ".lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            ImageBuildStatus? running = _store.Status(name);
            throw new ImageBuildException($"a build of {name} is already running{(running is null ? string.Empty : $" (since {running.Started:u}, process {running.ProcessId}: {running.Step})")}");
        }
    }

    /// <summary>Removes the build's scratch tree; a note for the message when it could not.</summary>
    private static string Cleanup(string work)
    {
        string? left = Mounts.DeleteTree(work);
        return left is null ? string.Empty : "; " + left;
    }

    /// <summary>One build under way: its status, written to build.json and told to whoever listens, and its log.</summary>
    private sealed class Run : IDisposable
    {
        private readonly ImageBuilder _builder;
        private readonly Action<ImageBuildStatus>? _progressed;
        private readonly StreamWriter _log;
        private ImageBuildStatus _status;

        public Run(ImageBuilder builder, ImageDefinition definition, string version, Action<ImageBuildStatus>? progressed)
        {
            _builder = builder;
            Definition = definition;
            Version = version;
            _progressed = progressed;
            _log = new StreamWriter(builder._store.LogFile(definition.Name), append: false) { AutoFlush = true };
            _status = new ImageBuildStatus(definition.Name, version, ImageBuildState.Running, "starting", 0, null, builder._time.GetUtcNow(), null, Environment.ProcessId);
        }

        public ImageDefinition Definition { get; }

        public string Version { get; }

        public void Step(string step, int percent, string? detail)
        {
            Publish(_status with { Step = step, Percent = percent, Message = detail });
            Log.Step(_builder._logger, Definition.Name, Version, step, detail ?? string.Empty);
            Line($"== {step}{(detail is null ? string.Empty : ": " + detail)}");
        }

        /// <summary>A line of a tool's output: into build.log, and mmdebstrap's stage lines move the progress.</summary>
        public void Line(string text)
        {
            lock (_log)
            {
                _log.WriteLine(text);
            }
            foreach ((string line, int percent, string step) in Stages)
            {
                if (text.StartsWith(line, StringComparison.Ordinal) && percent > _status.Percent)
                {
                    Publish(_status with { Step = step, Percent = percent, Message = null });
                }
            }
        }

        public ImageBuildStatus End(ImageBuildState state, string message)
        {
            Line($"== {state.ToString().ToLowerInvariant()}: {message}");
            if (state == ImageBuildState.Succeeded)
            {
                Log.Succeeded(_builder._logger, Definition.Name, message);
            }
            else
            {
                Log.Failed(_builder._logger, Definition.Name, Version, message);
            }
            Publish(_status with { State = state, Step = state == ImageBuildState.Succeeded ? "done" : _status.Step, Percent = state == ImageBuildState.Succeeded ? 100 : _status.Percent, Message = message, Ended = _builder._time.GetUtcNow() });
            return _status;
        }

        public void Dispose() => _log.Dispose();

        private void Publish(ImageBuildStatus status)
        {
            lock (_log)
            {
                _status = status;
                _builder._store.WriteStatus(status);
            }
            _progressed?.Invoke(status);
        }
    }
}
