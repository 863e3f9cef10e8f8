import CSystemCalls
import Foundation

/// The process's peak resident memory over one phase of a benchmark. Linux lets a process
/// reset its high-water mark (`/proc/self/clear_refs`, "5"), so a phase that follows a
/// memory-hungry setup (ingesting and planning 100k shots) is measured alone; memory the setup
/// freed is handed back to the system first. Elsewhere the whole process's peak is reported.
public enum PeakMemory {
    /// Starts a new phase: returns freed memory to the system and resets the high-water mark.
    public static func startPhase() {
        #if os(Linux)
        _ = csys_malloc_trim(0)
        if let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") {
            handle.write(Data("5".utf8))
            try? handle.close()
        }
        #endif
    }

    /// The peak resident memory since the phase started, in MB.
    public static func peakMB() -> Double {
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        {
            return kilobytes / 1024
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
