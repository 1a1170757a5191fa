using Provisioner.Core.Power;

namespace Provisioner.Core.Tests.Power;

public sealed class PowerPollerTests
{
    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 120)]
    [InlineData(3, 480)]
    [InlineData(4, 600)]
    [InlineData(40, 600)]
    public void Backoff_DoublesPerFailureInARow_UpToTheMaximum(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PowerPoller.Backoff(TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10), failures));
}
