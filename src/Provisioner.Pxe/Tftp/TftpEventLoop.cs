using System.Collections.Concurrent;
using System.Diagnostics;

namespace Provisioner.Pxe.Tftp;

/// <summary>
/// One thread serving many transfers, waiting on all their sockets at once with poll(2), as dnsmasq
/// serves every transfer from one poll loop. A thread per transfer (tftpd-hpa's process per
/// transfer) pays a context switch for every ACK; here one wake-up answers every ACK that arrived
/// meanwhile. poll rather than epoll: epoll keeps a callback on every socket that runs, under a
/// lock, in the context of whoever delivers each ACK (on loopback, the client's own core), and a
/// boot storm measured ~10% slower with it (bench/README.md). A zero-timeout poll registers nothing.
/// Sessions are touched only on this thread: other threads hand them over through a queue and an
/// eventfd.
/// </summary>
internal sealed class TftpEventLoop : IDisposable
{
    private const string ShuttingDown = "server is shutting down";

    /// <summary>How often deadlines are checked, and the longest sleep in poll.</summary>
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Longest user-space wait for a reply before sleeping: a few loopback round trips. Waking a
    /// sleeping thread costs about as much as the round trip itself, on every block of a lockstep
    /// transfer, and in a VM the client's core pays for waking ours. Nobody spins without transfers.
    /// </summary>
    private static readonly TimeSpan SpinLimit = TimeSpan.FromMicroseconds(100);

    private readonly EventFd _wake = new();
    private readonly ConcurrentQueue<Admission> _incoming = new();

    /// <summary>Slot i's socket is poll entry i + 1; entry 0 is the eventfd.</summary>
    private readonly List<Admission?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly CancellationToken _stopping;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly Thread _thread;
    private Poll.Entry[] _entries = new Poll.Entry[16];
    private int _count;
    private volatile bool _closed;

    public TftpEventLoop(CancellationToken stopping)
    {
        _stopping = stopping;
        _entries[0] = new Poll.Entry { Fd = _wake.Handle, Events = Poll.In };
        _onStopping = stopping.Register(_wake.Signal);
        // The loop needs little stack: it only calls into sessions.
        _thread = new Thread(Run, 256 * 1024) { IsBackground = true, Name = "tftp-loop" };
        _thread.Start();
    }

    /// <summary>Transfers on this loop, admitted or waiting to be; read by other threads to spread the load.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Hands a transfer to the loop; the task ends with it (its exception if the session faulted).</summary>
    public Task<TftpOutcome> Serve(TftpTransferSession session)
    {
        var admission = new Admission(session);
        Interlocked.Increment(ref _count);
        _incoming.Enqueue(admission);
        _wake.Signal();
        if (_closed)
        {
            // Handed over while the loop was ending: nobody else will take it off the queue.
            EndQueued();
        }
        return admission.Done.Task;
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _wake.Signal();
        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        long lastTick = Stopwatch.GetTimestamp();
        while (!_stopping.IsCancellationRequested)
        {
            if (Wait() > 0)
            {
                ServeReady();
            }
            if (Stopwatch.GetElapsedTime(lastTick) >= TickInterval)
            {
                lastTick = Stopwatch.GetTimestamp();
                Tick();
            }
        }
        EndAll();
    }

    private int Wait()
    {
        Span<Poll.Entry> entries = _entries.AsSpan(0, _slots.Count + 1);
        if (_slots.Count > _freeSlots.Count)
        {
            long start = Stopwatch.GetTimestamp();
            do
            {
                int ready = Poll.Wait(entries, 0);
                if (ready > 0)
                {
                    return ready;
                }
                Thread.SpinWait(20);
            }
            while (Stopwatch.GetElapsedTime(start) < SpinLimit);
        }
        return Poll.Wait(entries, (int)TickInterval.TotalMilliseconds);
    }

    private void ServeReady()
    {
        int slots = _slots.Count;
        for (int slot = 0; slot < slots; slot++)
        {
            ref Poll.Entry entry = ref _entries[slot + 1];
            if (entry.Returned != 0 && _slots[slot] is { } admission)
            {
                entry.Returned = 0;
                // One datagram per pass; poll reports the socket again if more are waiting.
                Step(admission, static s => s.OnReadable());
            }
        }
        // Admitted last: admitting may grow the arrays walked above.
        if (_entries[0].Returned != 0)
        {
            _entries[0].Returned = 0;
            _wake.Drain();
            AdmitIncoming();
        }
    }

    private void AdmitIncoming()
    {
        while (_incoming.TryDequeue(out Admission? admission))
        {
            int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
            _slots[slot] = admission;
            admission.Slot = slot;
            _entries[slot + 1] = new Poll.Entry { Fd = admission.Session.Handle, Events = Poll.In };
            Step(admission, static s => s.Begin());
        }
    }

    private int AddSlot()
    {
        _slots.Add(null);
        if (_slots.Count + 1 > _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }
        return _slots.Count - 1;
    }

    private void Tick()
    {
        // By index: a session that ends frees its slot during the pass.
        for (int slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot] is { } admission)
            {
                Step(admission, static s => s.OnTick());
            }
        }
    }

    /// <summary>Runs one step of a session; a fault ends that transfer only.</summary>
    private void Step(Admission admission, Action<TftpTransferSession> step)
    {
        try
        {
            step(admission.Session);
        }
        catch (Exception ex)
        {
            Finish(admission, ex);
            return;
        }
        if (admission.Session.Ended)
        {
            Finish(admission, fault: null);
        }
    }

    private void EndAll()
    {
        _closed = true;
        EndQueued();
        for (int slot = 0; slot < _slots.Count; slot++)
        {
            if (_slots[slot] is { } admission)
            {
                admission.Session.Abort(ShuttingDown);
                Finish(admission, fault: null);
            }
        }
    }

    /// <summary>Ends transfers handed over but never admitted; safe from any thread, as each is dequeued once.</summary>
    private void EndQueued()
    {
        while (_incoming.TryDequeue(out Admission? admission))
        {
            admission.Session.Abort(ShuttingDown);
            Finish(admission, fault: null);
        }
    }

    private void Finish(Admission admission, Exception? fault)
    {
        if (admission.Slot >= 0)
        {
            // The socket is closed by its owner once the task below completes: it must be out of the poll set first.
            _entries[admission.Slot + 1] = new Poll.Entry { Fd = -1 };
            _slots[admission.Slot] = null;
            _freeSlots.Push(admission.Slot);
            admission.Slot = -1;
        }
        Interlocked.Decrement(ref _count);
        if (fault is null)
        {
            admission.Done.SetResult(admission.Session.Outcome);
        }
        else
        {
            admission.Done.SetException(fault);
        }
    }

    /// <summary>A session and where it sits in the loop.</summary>
    private sealed class Admission(TftpTransferSession session)
    {
        public TftpTransferSession Session { get; } = session;

        public TaskCompletionSource<TftpOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Slot { get; set; } = -1;
    }
}
