using Provisioner.Core.Power;

namespace Provisioner.Core.Tests.Power;

/// <summary>A Redfish error body (DMTF DSP0266 §9.6 "Error responses") in the words the host page shows.</summary>
public sealed class RedfishErrorTests
{
    [Fact]
    public void ErrorBody_MessageAndExtendedInfo()
    {
        const string body = """
            {"error":{"code":"Base.1.8.GeneralError","message":"A general error has occurred. See ExtendedInfo for more information.",
             "@Message.ExtendedInfo":[{"MessageId":"Base.1.8.PropertyValueNotInList","Message":"The value Floppy for the property BootSourceOverrideTarget is not in the list of acceptable values."}]}}
            """;
        Assert.Equal(": A general error has occurred. See ExtendedInfo for more information. The value Floppy for the property BootSourceOverrideTarget is not in the list of acceptable values.",
            RedfishDriver.ErrorText(body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>Internal Server Error</html>")]
    [InlineData("{\"error\":{}}")]
    [InlineData("[1,2]")]
    public void NoWords_Nothing(string body) => Assert.Equal(string.Empty, RedfishDriver.ErrorText(body));
}
