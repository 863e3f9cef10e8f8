import Foundation
import Synchronization

/// The exit of a child process, awaited without blocking a thread: `Process.waitUntilExit`
/// blocks (and spins the run loop), which inside an async test holds a thread of the pool the
/// code under test may need.
final class ProcessExit: Sendable {
    private struct State {
        var exited = false
        var killedAtDeadline = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Watches `process`; call before `process.run()`, so the exit cannot be missed.
    init(_ process: Process) {
        process.terminationHandler = { [self] _ in
            let waiters = state.withLock { state in
                state.exited = true
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    var hasExited: Bool { state.withLock { $0.exited } }

    /// Waits until the process has exited.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state in
                if !state.exited { state.waiters.append(continuation) }
                return state.exited
            }
            if exited { continuation.resume() }
        }
    }

    /// Waits up to `seconds` for the exit; a process still running then is killed (so the wait
    /// always ends) and the answer is false.
    func wait(seconds: Double, killing process: Process) async -> Bool {
        let pid = process.processIdentifier
        let deadline = Task { [self] in
            try await Task.sleep(for: .seconds(seconds))
            state.withLock { state in
                guard !state.exited else { return }
                state.killedAtDeadline = true
                kill(pid, SIGKILL)
            }
        }
        await wait()
        deadline.cancel()
        return !state.withLock { $0.killedAtDeadline }
    }
}
