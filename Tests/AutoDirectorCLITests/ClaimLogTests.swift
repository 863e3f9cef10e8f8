import Testing
@testable import AutoDirectorBench

/// `bench cluster` reads the claim statement's latency from PostgreSQL's own log.
@Suite struct ClaimLogTests {
    /// The phases of one claim (parse, bind, execute) are summed per backend, other statements
    /// and other backends' interleaved lines are left out.
    @Test func claimPhasesAreSummedPerBackend() {
        let log = """
            2026-12-06 21:00:00.001 UTC [101] LOG:  duration: 0.050 ms  parse <unnamed>: WITH picked AS (
            \t    SELECT id, hash FROM job_items
            2026-12-06 21:00:00.002 UTC [202] LOG:  duration: 0.100 ms  parse <unnamed>: WITH picked AS (
            2026-12-06 21:00:00.003 UTC [101] LOG:  duration: 0.020 ms  bind <unnamed>: WITH picked AS (
            2026-12-06 21:00:00.004 UTC [101] LOG:  duration: 1.250 ms  execute <unnamed>: WITH picked AS (
            2026-12-06 21:00:00.005 UTC [303] LOG:  duration: 9.000 ms  execute <unnamed>: UPDATE job_items SET state = $1
            2026-12-06 21:00:00.006 UTC [202] LOG:  duration: 2.000 ms  execute <unnamed>: WITH picked AS (
            """
        let durations = ClaimLog.durations(log)
        #expect(durations.count == 2)
        #expect(abs(durations[0] - 1.32) < 1e-9)
        #expect(abs(durations[1] - 2.1) < 1e-9)
        #expect(ClaimLog.durations("LOG:  database system is ready to accept connections").isEmpty)
    }
}
