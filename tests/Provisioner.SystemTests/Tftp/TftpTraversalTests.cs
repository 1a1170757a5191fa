using System.Text;
using Provisioner.Pxe.Tests.Support;
using Provisioner.Pxe.Tftp;
using Provisioner.SystemTests.Support;

namespace Provisioner.SystemTests.Tftp;

/// <summary>Every way out of the boot dir gets ERROR 2 and not one byte of the target.</summary>
[Trait("Category", "System")]
public sealed class TftpTraversalTests : IAsyncLifetime
{
    private readonly TestFiles _files = new();
    private BootTftpServer _server = null!;

    public Task InitializeAsync()
    {
        string boot = _files.Dir("boot");
        string outside = _files.Dir("outside");
        File.WriteAllText(Path.Join(outside, "secret"), "secret");
        File.WriteAllText(Path.Join(boot, "pxelinux.0"), "loader");
        Directory.CreateDirectory(Path.Join(boot, "pxelinux.cfg"));
        File.CreateSymbolicLink(Path.Join(boot, "escape"), Path.Join(outside, "secret"));
        File.CreateSymbolicLink(Path.Join(boot, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Join(boot, "outside-dir"), outside);
        _server = new BootTftpServer(boot);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _files.Dispose();
    }

    [Theory]
    [InlineData("../outside/secret")]
    [InlineData("/../outside/secret")]
    [InlineData("pxelinux.cfg/../../outside/secret")]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("//etc/passwd")]
    [InlineData("C:/Windows/win.ini")]
    [InlineData("~root/.bashrc")]
    [InlineData("pxelinux.cfg\\..\\..\\outside\\secret")]
    [InlineData("\\etc\\passwd")]
    [InlineData("escape")]
    [InlineData("passwd")]
    [InlineData("outside-dir/secret")]
    public void Request_PathLeavingBootDir_Error2AndNothingServed(string path)
    {
        using var client = new RawTftpClient(_server.Endpoint);
        client.SendRequest(path);

        (TftpErrorCode code, string message) = client.ReceiveError();

        Assert.Equal(TftpErrorCode.AccessViolation, code);
        Assert.NotEmpty(message);
        Assert.Null(client.Receive(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Request_FilenameWithEmbeddedNul_DroppedAndNothingServed()
    {
        // On the wire a NUL ends the filename, so "pxelinux.0\0../outside/secret" arrives as a
        // request whose mode is "../outside/secret" followed by a dangling field: malformed, dropped.
        byte[] datagram = [0, 1, .. Encoding.ASCII.GetBytes("pxelinux.0\0../outside/secret\0octet\0")];
        using var client = new RawTftpClient(_server.Endpoint);
        client.SendRaw(datagram, _server.Endpoint);

        Assert.Null(client.Receive(TimeSpan.FromMilliseconds(300)));

        client.SendRequest("pxelinux.0");
        Assert.Equal("loader"u8.ToArray(), client.ReceiveData().Payload);
    }

    [Fact]
    public async Task Curl_Traversal_FailsAndWritesNothing()
    {
        string local = Path.Join(_files.Dir("got"), "stolen");

        ProcessResult result = await TftpClients.CurlAsync(_server.Port, "..%2Foutside%2Fsecret", local, 512);

        // curl's exit code 69 is CURLE_TFTP_PERM: the server answered ERROR 2 (access violation).
        Assert.Equal(69, result.ExitCode);
        Assert.False(File.Exists(local) && new FileInfo(local).Length > 0);
    }

    [Fact]
    public void Request_LeadingSlashAsPxelinuxSendsIt_Served()
    {
        using var client = new RawTftpClient(_server.Endpoint);
        client.SendRequest("/pxelinux.0");

        Assert.Equal("loader"u8.ToArray(), client.ReceiveData().Payload);
    }
}
