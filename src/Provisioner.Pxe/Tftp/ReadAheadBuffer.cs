using System.Buffers;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// Reads a source in chunks of whole blocks so a transfer costs one read per chunk rather than one
/// per block (at blksize 1468, 44 blocks per 64 KiB read). Retransmitted blocks are usually still
/// in the chunk.
/// </summary>
internal sealed class ReadAheadBuffer : IDisposable
{
    /// <summary>Bytes read at once; 256 transfers hold 16 MiB of these at most.</summary>
    private const int ChunkBytes = 64 * 1024;

    private readonly ITftpSource _source;
    private readonly int _blockSize;
    private readonly byte[] _chunk;
    private readonly int _capacity;
    private long _chunkOffset = -1;
    private int _chunkLength;

    public ReadAheadBuffer(ITftpSource source, int blockSize)
    {
        _source = source;
        _blockSize = blockSize;
        // Whole blocks only: the pool may hand out a longer array, but a block must never straddle a refill.
        _capacity = Math.Max(1, ChunkBytes / blockSize) * blockSize;
        _chunk = ArrayPool<byte>.Shared.Rent(_capacity);
    }

    /// <summary>Copies block <paramref name="block"/> (absolute, from 1) into <paramref name="destination"/>; returns its length.</summary>
    public int ReadBlock(long block, Span<byte> destination)
    {
        long offset = (block - 1) * _blockSize;
        if (_chunkOffset < 0 || offset < _chunkOffset || offset >= _chunkOffset + _capacity)
        {
            _chunkOffset = offset;
            _chunkLength = _source.Read(offset, _chunk.AsSpan(0, _capacity));
        }
        int start = (int)(offset - _chunkOffset);
        int length = Math.Clamp(_chunkLength - start, 0, _blockSize);
        _chunk.AsSpan(start, length).CopyTo(destination);
        return length;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_chunk);
}
