using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Provisioner.Core.Images;
using Provisioner.Web.Files;

namespace Provisioner.Web.Images;

/// <summary>
/// <c>GET|HEAD /images/{name}/{file}</c>: the current version of a built image (<c>root.squashfs</c>,
/// <c>vmlinuz</c>, <c>initrd.img</c>, <c>manifest.json</c>), anonymous like boot files, with range
/// requests, for machines that boot or deploy it.
/// </summary>
public static class ImageFileEndpoints
{
    public static IEndpointRouteBuilder MapImageFiles(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/images/{name}/{file}", [HttpMethods.Get, HttpMethods.Head], Get);
        return app;
    }

    internal static IResult Get(string name, string file, ImageStore store)
    {
        if (file is not (ImageManifest.RootFile or ImageManifest.KernelFile or ImageManifest.InitrdFile or ImageManifest.FileName) || name.StartsWith('.') || name.Contains('/', StringComparison.Ordinal))
        {
            return TypedResults.NotFound($"no image file {name}/{file}: an image has {ImageManifest.RootFile}, {ImageManifest.KernelFile}, {ImageManifest.InitrdFile} and {ImageManifest.FileName}");
        }
        ImageManifest? current = store.Current(name);
        string? path = current is null ? null : Path.Join(store.Dir(name), current.Version, file);
        return path is not null && File.Exists(path)
            ? new FileBody(path, file == ImageManifest.FileName ? "application/json" : "application/octet-stream")
            : TypedResults.NotFound($"image {name} has no built version yet: provisioner images build {name}");
    }
}
