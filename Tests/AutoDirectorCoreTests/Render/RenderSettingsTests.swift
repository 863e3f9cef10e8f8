import Testing
@testable import AutoDirectorCore

/// The worker pool's settings from the environment, read by the engine beside the Bria
/// configuration; a command's `--concurrency` wins over the variable.
@Suite struct RenderSettingsTests {
    @Test func settingsComeFromTheEnvironmentAndTheFlagWins() throws {
        let defaults = try RenderSettings.fromEnvironment([:])
        #expect(defaults.concurrency == 4 && defaults.itemTimeout == 300)
        let set = try RenderSettings.fromEnvironment(["FIBO_CONCURRENCY": "2", "FIBO_TIMEOUT_SECONDS": "1.5"])
        #expect(set.concurrency == 2 && set.itemTimeout == 1.5)
        #expect(try RenderSettings.fromEnvironment(["FIBO_CONCURRENCY": "2"], concurrency: 7).concurrency == 7)
        #expect(try RenderSettings.fromEnvironment(["FIBO_CONCURRENCY": "many"], concurrency: 7).concurrency == 7, "with the flag the variable is not read")
    }

    @Test func aBadVariableIsNamedWithItsValue() {
        for (name, value) in [("FIBO_CONCURRENCY", "0"), ("FIBO_CONCURRENCY", "2000"), ("FIBO_TIMEOUT_SECONDS", "-1"), ("FIBO_TIMEOUT_SECONDS", "soon")] {
            do {
                _ = try RenderSettings.fromEnvironment([name: value])
                Issue.record("accepted \(name)=\(value)")
            } catch {
                #expect(error is RenderSettings.Problem)
                #expect("\(error)".contains(name) && "\(error)".contains(value), "\(error)")
            }
        }
    }
}
