import ArgumentParser
import AutoDirectorCore

struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "health", abstract: "Provider, store, schema version, integrity and counts.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let health = try project.engine().health()
        let c = health.counts
        if output.json {
            Print.json([
                "status": .string(health.status), "provider": .string(health.provider), "store": .string(health.storePath),
                "images": .string(health.artifactsPath),
                "read_only": .bool(health.readOnly),
                "schema_version": .string(health.schemaVersion), "integrity": .string(health.integrity),
                "counts": [
                    "batches": .number(Double(c.batches)), "shots": .number(Double(c.shots)), "versions": .number(Double(c.versions)),
                    "jobs": .number(Double(c.jobs)), "artifacts": .number(Double(c.artifacts)), "review_actions": .number(Double(c.reviewActions)),
                ],
                "uptime_seconds": .number(health.uptimeSeconds),
            ])
            return
        }
        Print.line("""
            status:     \(health.status)
            provider:   \(TextSanitizer.visible(health.provider))
            store:      \(TextSanitizer.visible(health.storePath))\(health.readOnly ? " (read-only here: reading works, writes are refused)" : "")
            images:     \(TextSanitizer.visible(health.artifactsPath))
            schema:     \(health.schemaVersion)
            integrity:  \(health.integrity)
            counts:     \(c.batches) batches, \(c.shots) shots, \(c.versions) versions, \(c.jobs) jobs, \(c.artifacts) artifacts, \(c.reviewActions) review actions
            uptime:     \(String(format: "%.3f", health.uptimeSeconds)) s
            """)
    }
}
