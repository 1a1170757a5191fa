using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class TftpTransferTests
{
    private static TftpTransfer Create(long length, int blockSize = 512, int window = 1, bool oack = false, int retries = 3)
    {
        List<TftpOption> acknowledged = oack ? [new("blksize", blockSize.ToString(System.Globalization.CultureInfo.InvariantCulture))] : [];
        return new TftpTransfer(length, new TftpTransferSettings(blockSize, window, TimeSpan.FromSeconds(1), acknowledged), retries);
    }

    private static TftpStep Blocks(long first, int count) => new(TftpStepKind.SendBlocks, first, count);

    [Fact]
    public void Lockstep_ThreeBlocks_SendsEachAfterItsAckThenCompletes()
    {
        TftpTransfer transfer = Create(1100);

        Assert.Equal(Blocks(1, 1), transfer.Start());
        Assert.Equal(Blocks(2, 1), transfer.OnAck(1));
        Assert.Equal(Blocks(3, 1), transfer.OnAck(2));
        Assert.Equal(TftpStepKind.Completed, transfer.OnAck(3).Kind);
    }

    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(1L, 1L)]
    [InlineData(512L, 2L)] // a multiple of blksize ends with an empty block
    [InlineData(513L, 2L)]
    public void LastBlock_FollowsRfc1350ShortBlockRule(long length, long expected)
    {
        Assert.Equal(expected, Create(length).LastBlock);
    }

    [Fact]
    public void OptionAck_SentFirstAndDataOnlyAfterAckZero()
    {
        TftpTransfer transfer = Create(100, oack: true);

        Assert.Equal(TftpStepKind.SendOptionAck, transfer.Start().Kind);
        Assert.Equal(TftpStep.Wait, transfer.OnAck(1));
        Assert.Equal(TftpStepKind.SendOptionAck, transfer.OnTimeout().Kind);
        Assert.Equal(Blocks(1, 1), transfer.OnAck(0));
    }

    [Fact]
    public void DuplicateAck_NeverTriggersData_SorcerersApprentice()
    {
        TftpTransfer transfer = Create(5000);
        transfer.Start();
        Assert.Equal(Blocks(2, 1), transfer.OnAck(1));

        Assert.Equal(TftpStep.Wait, transfer.OnAck(1));
        Assert.Equal(TftpStep.Wait, transfer.OnAck(1));
        Assert.Equal(Blocks(3, 1), transfer.OnAck(2));
        Assert.Equal(0, transfer.Retransmissions);
    }

    [Fact]
    public void AckForUnsentOrOldBlock_Ignored()
    {
        TftpTransfer transfer = Create(5000, window: 4);
        transfer.Start();

        Assert.Equal(TftpStep.Wait, transfer.OnAck(5));
        Assert.Equal(TftpStep.Wait, transfer.OnAck(65535));
        Assert.Equal(Blocks(5, 4), transfer.OnAck(4));
        Assert.Equal(TftpStep.Wait, transfer.OnAck(3));
    }

    [Fact]
    public void Timeout_ResendsOutstandingWindowThenGivesUpAfterMaxRetries()
    {
        TftpTransfer transfer = Create(5000, window: 4, retries: 2);
        transfer.Start();

        Assert.Equal(Blocks(1, 4), transfer.OnTimeout());
        Assert.Equal(Blocks(1, 4), transfer.OnTimeout());
        Assert.Equal(TftpStepKind.GaveUp, transfer.OnTimeout().Kind);
    }

    [Fact]
    public void Timeout_RetryCountResetsOnProgress()
    {
        TftpTransfer transfer = Create(5000, retries: 1);
        transfer.Start();
        Assert.Equal(Blocks(1, 1), transfer.OnTimeout());
        transfer.OnAck(1);

        Assert.Equal(Blocks(2, 1), transfer.OnTimeout());
    }

    [Fact]
    public void Window_PartialAck_RestartsAfterAcknowledgedBlock_Rfc7440()
    {
        TftpTransfer transfer = Create(100 * 512, window: 8);
        Assert.Equal(Blocks(1, 8), transfer.Start());

        // Blocks 4..8 were lost; the client ACKs the last block it got in order.
        Assert.Equal(Blocks(4, 8), transfer.OnAck(3));
        Assert.Equal(5, transfer.Retransmissions);
        Assert.Equal(Blocks(12, 8), transfer.OnAck(11));
    }

    [Fact]
    public void Window_ShortensAtEndOfFile()
    {
        TftpTransfer transfer = Create(5 * 512 + 10, window: 4);

        Assert.Equal(Blocks(1, 4), transfer.Start());
        Assert.Equal(Blocks(5, 2), transfer.OnAck(4));
        Assert.Equal(TftpStepKind.Completed, transfer.OnAck(6).Kind);
    }

    [Fact]
    public void BlockNumbers_RollOverPast65535()
    {
        // 70,000 blocks of 8 bytes: wire block numbers wrap from 65535 to 0.
        const long blocks = 70_000;
        TftpTransfer transfer = Create((blocks * 8) - 1, blockSize: 8, window: 16);
        TftpStep step = transfer.Start();
        long sentUpTo = 0;
        while (step.Kind == TftpStepKind.SendBlocks)
        {
            Assert.Equal(sentUpTo + 1, step.FirstBlock);
            sentUpTo = step.FirstBlock + step.Count - 1;
            step = transfer.OnAck((ushort)sentUpTo);
        }

        Assert.Equal(TftpStepKind.Completed, step.Kind);
        Assert.Equal(blocks, sentUpTo);
        Assert.Equal(0, transfer.Retransmissions);
    }
}
