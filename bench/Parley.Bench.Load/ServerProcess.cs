using System.Globalization;

namespace Parley.Bench.Load;

/// <summary>
/// The server's own CPU time and memory, read from <c>/proc/&lt;pid&gt;</c> (Linux), for CPU per turn: a figure far
/// steadier than throughput on a shared machine, since it does not depend on how much of the machine the server got.
/// </summary>
public sealed class ServerProcess(int pid)
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux the project runs on.
    private const double TicksPerSecond = 100;

    public int Pid => pid;

    /// <summary>User plus system CPU time the process has used since it started.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((utime + stime) / TicksPerSecond);
    }

    /// <summary>Resident set size now, in megabytes.</summary>
    public double WorkingSetMb()
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kb / 1024.0;
    }
}
