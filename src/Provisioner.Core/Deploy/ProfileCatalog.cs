using Microsoft.Extensions.Options;
using Provisioner.Core.Images;
using Provisioner.Core.Inventory;
using Provisioner.Core.Templates;

namespace Provisioner.Core.Deploy;

/// <summary>
/// The profiles a host may name: the installer profiles of the templates (<c>pxelinux/NAME.liquid</c>)
/// and, while the deploy templates are there (<c>pxelinux/image.liquid</c>), <c>image:NAME</c> for
/// each image definition (<c>images/NAME.json</c>), built yet or not: a build asked for before the
/// image is built is warned about (<see cref="Boot.ProfileBootFiles"/>).
/// </summary>
public sealed class ProfileCatalog(TemplateStore templates, IOptions<ImageOptions> images) : IProfileCatalog
{
    public bool Exists(string profile) =>
        ImageProfiles.TryGetImage(profile, out string image)
            ? DeployTemplatesExist && ImageDefinition.TryRead(images.Value.Directory, image, out _, out _)
            : templates.Exists(profile);

    public IReadOnlyList<string> List() =>
        [.. templates.List(), .. DeployTemplatesExist ? ImageDefinition.ReadAll(images.Value.Directory).Where(d => d.Definition is not null).Select(d => ImageProfiles.For(d.Name)) : []];

    private bool DeployTemplatesExist => templates.HasFile(TemplateStore.PxelinuxFile(ImageProfiles.Template));
}
