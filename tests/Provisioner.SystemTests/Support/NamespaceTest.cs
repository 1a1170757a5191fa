namespace Provisioner.SystemTests.Support;

/// <summary>
/// A test that works in network namespaces: scratch files and a <see cref="NamespaceLab"/>, both
/// cleaned up after each test, also when it failed.
/// </summary>
public abstract class NamespaceTest : IAsyncLifetime
{
    internal TestFiles Files { get; } = new();

    internal NamespaceLab Lab { get; } = new();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await Lab.DisposeAsync();
        Files.Dispose();
    }
}
