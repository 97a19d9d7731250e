namespace Parley.Server.Features.Conversations.Transcript;

/// <summary>
/// One writer per conversation in this process, in arrival order: a turn, an agent's reply or a handoff action waits
/// here for the one before it instead of racing it to the database. Waiters are served first come, first served
/// (the semaphore's queue), and a conversation nobody writes to holds no memory.
/// </summary>
public sealed class ConversationLocks
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Waits until no other writer of <paramref name="conversationId"/> runs here; dispose the result to let the next one in.</summary>
    public async Task<IDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(conversationId, out gate!))
            {
                _gates[conversationId] = gate = new Gate();
            }
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(conversationId, gate);
            throw;
        }
        return new Holder(this, conversationId, gate);
    }

    private void Leave(string conversationId, Gate gate)
    {
        lock (_gates)
        {
            if (--gate.Users == 0)
            {
                _gates.Remove(conversationId);
            }
        }
    }

    private sealed class Gate
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Writers holding or waiting for the gate; guarded by the dictionary's lock.</summary>
        public int Users { get; set; }
    }

    private sealed class Holder(ConversationLocks owner, string conversationId, Gate gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Semaphore.Release();
                owner.Leave(conversationId, gate);
            }
        }
    }
}
