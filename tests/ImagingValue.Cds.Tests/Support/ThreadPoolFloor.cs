using System.Runtime.CompilerServices;

namespace ImagingValue.Cds.Tests.Support;

/// <summary>
/// Gives the test process's thread pool the threads the test platform takes from it. vstest runs its message loop
/// (a synchronous <c>Socket.Poll</c>) and xunit's assembly runner (a blocking wait) on pool threads; on a 2-core
/// machine that leaves one of the pool's 3 threads, and the deadline tests' timer callbacks queued behind it waited
/// ~0.5 s for the pool to inject another (seen with dotnet-stack: the CDS call answered at 1.0–1.5 s against a 500 ms
/// deadline). <c>serve</c> has no such tenants, so the product keeps the runtime's defaults.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        var floor = Environment.ProcessorCount + 8;
        ThreadPool.SetMinThreads(Math.Max(workers, floor), Math.Max(io, floor));
    }
}
