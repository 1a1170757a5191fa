using Provisioner.Pxe.Tftp;

namespace Provisioner.Pxe.Tests.Tftp;

public class ReadAheadBufferTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_500).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData(new long[] { 1, 2, 3, 200, 201, 1, 66, 65, 67 })] // forwards, far, back to the start, window restarts
    [InlineData(new long[] { 201, 202, 200 })] // the short last block, the empty block after it, then back
    public void ReadBlock_AnyOrder_ReturnsThatBlocksBytes(long[] blocks)
    {
        const int blockSize = 1000;
        using var source = new MemoryTftpSource(Content);
        using var reader = new ReadAheadBuffer(source, blockSize);
        byte[] destination = new byte[blockSize];

        foreach (long block in blocks)
        {
            int length = reader.ReadBlock(block, destination);

            long offset = (block - 1) * blockSize;
            int expected = (int)Math.Clamp(Content.Length - offset, 0, blockSize);
            Assert.Equal(expected, length);
            Assert.Equal(Content.AsSpan((int)Math.Min(offset, Content.Length), expected).ToArray(), destination[..length]);
        }
    }
}
