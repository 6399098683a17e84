using ImagingValue.Core.Data;
using ImagingValue.Core.Storage;

namespace ImagingValue.Import.Tests.Support;

/// <summary>
/// The real import store with hooks where an import's work happens: each scratch write (numbered from 1; those made
/// once the batch began, while rows are resolved, numbered apart), each staged row, each table's commit and the
/// batch's commit. A hook may throw, cancel or wait. It also notes every misuse of the scratch, which is one SQLite
/// connection: use by two threads at once, or use after it was disposed (a task left running after the import ended).
/// </summary>
internal sealed class HookedImportStore(IImportStore inner) : IImportStore
{
    private int _puts;
    private int _putsWhileResolving;
    private int _stagedRows;
    private volatile bool _batchBegun;

    /// <summary>Called with the number of the scratch write about to be made while the files are read.</summary>
    public Action<int>? OnReadingPut { get; set; }

    /// <summary>Called with the number of the scratch write about to be made once the batch began (rows being resolved).</summary>
    public Action<int>? OnResolvingPut { get; set; }

    /// <summary>Called with the number of the row about to be staged into the workspace.</summary>
    public Action<int>? OnStage { get; set; }

    /// <summary>Called before a table's session commits (inside the batch's transaction).</summary>
    public Action<CanonicalTable>? OnTableCommit { get; set; }

    /// <summary>Called before the batch commits.</summary>
    public Action? OnBatchCommit { get; set; }

    /// <summary>Every scratch write so far (read and resolve).</summary>
    public int Puts => Volatile.Read(ref _puts);

    public int PutsWhileResolving => Volatile.Read(ref _putsWhileResolving);

    public int StagedRows => Volatile.Read(ref _stagedRows);

    /// <summary>What went wrong with the scratch's use: empty when nothing did.</summary>
    public List<string> Misuse { get; } = [];

    public Task<IImportSession> BeginImportAsync(CanonicalTable table, string sourceName, CancellationToken cancellationToken) =>
        inner.BeginImportAsync(table, sourceName, cancellationToken);

    public async Task<IImportBatch> BeginBatchImportAsync(IReadOnlyList<CanonicalTable> tables, string sourceName, CancellationToken cancellationToken)
    {
        var batch = await inner.BeginBatchImportAsync(tables, sourceName, cancellationToken);
        _batchBegun = true;
        return new Batch(this, batch);
    }

    public async Task<IImportScratch> BeginScratchAsync(CancellationToken cancellationToken) =>
        new Scratch(this, await inner.BeginScratchAsync(cancellationToken));

    private void NoteMisuse(string what)
    {
        lock (Misuse)
        {
            Misuse.Add(what);
        }
    }

    private sealed class Scratch(HookedImportStore store, IImportScratch inner) : IImportScratch
    {
        private int _inside;
        private volatile bool _disposed;

        public void Put(int kind, string key, ReadOnlySpan<byte> value)
        {
            var number = Interlocked.Increment(ref store._puts);
            if (store._batchBegun)
            {
                var resolving = Interlocked.Increment(ref store._putsWhileResolving);
                store.OnResolvingPut?.Invoke(resolving);
            }
            else
            {
                store.OnReadingPut?.Invoke(number);
            }

            Enter();
            try
            {
                inner.Put(kind, key, value);
            }
            finally
            {
                Exit();
            }
        }

        public byte[]? Get(int kind, string key)
        {
            Enter();
            try
            {
                return inner.Get(kind, key);
            }
            finally
            {
                Exit();
            }
        }

        public IEnumerable<(string Key, byte[] Value)> Read(int kind)
        {
            // Each step of the reader is a use; the caller's puts between steps are uses of their own.
            using var rows = inner.Read(kind).GetEnumerator();
            while (true)
            {
                Enter();
                bool more;
                try
                {
                    more = rows.MoveNext();
                }
                finally
                {
                    Exit();
                }

                if (!more)
                {
                    yield break;
                }

                yield return rows.Current;
            }
        }

        public void Dispose()
        {
            _disposed = true;
            inner.Dispose();
        }

        private void Enter()
        {
            if (_disposed)
            {
                store.NoteMisuse($"scratch used after it was disposed, on thread {Environment.CurrentManagedThreadId}");
            }

            if (Interlocked.Increment(ref _inside) != 1)
            {
                store.NoteMisuse($"scratch used by two threads at once (thread {Environment.CurrentManagedThreadId})");
            }
        }

        private void Exit() => Interlocked.Decrement(ref _inside);
    }

    private sealed class Batch(HookedImportStore store, IImportBatch inner) : IImportBatch
    {
        private readonly Dictionary<CanonicalTable, Session> _sessions = [];

        public IImportSession this[CanonicalTable table]
        {
            get
            {
                lock (_sessions)
                {
                    if (!_sessions.TryGetValue(table, out var session))
                    {
                        _sessions[table] = session = new Session(store, table, inner[table]);
                    }

                    return session;
                }
            }
        }

        public Task CommitAsync(CancellationToken cancellationToken)
        {
            store.OnBatchCommit?.Invoke();
            return inner.CommitAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class Session(HookedImportStore store, CanonicalTable table, IImportSession inner) : IImportSession
    {
        public ValueTask StageAsync(int line, string key, IReadOnlyList<string?> values, string? extraJson, CancellationToken cancellationToken)
        {
            var number = Interlocked.Increment(ref store._stagedRows);
            store.OnStage?.Invoke(number);
            return inner.StageAsync(line, key, values, extraJson, cancellationToken);
        }

        public Task<IReadOnlyList<KeyConflict>> FindConflictsAsync(CancellationToken cancellationToken) => inner.FindConflictsAsync(cancellationToken);

        public Task<ImportCounts> CommitAsync(IReadOnlySet<string> skipKeys, long rejectedRows, CancellationToken cancellationToken)
        {
            store.OnTableCommit?.Invoke(table);
            return inner.CommitAsync(skipKeys, rejectedRows, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
