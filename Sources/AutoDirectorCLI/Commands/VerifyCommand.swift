import ArgumentParser
import AutoDirectorCore
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an export bundle (its directory or its zip): every file against SHA256SUMS, every image against manifest.json.",
        discussion: "Prints each mismatch with its path and exits 1 on any; otherwise prints one line and exits 0. Paths that would leave the bundle are refused, never read.")

    @OptionGroup var output: OutputOptions

    @Argument(help: "An export directory (DIR/<batch>) or its zip (DIR/<batch>.zip).")
    var bundle: String

    @Option(name: .customLong("max-file-mb"), help: "The largest file (or zip entry) to hash, in MiB (default 1024).")
    var maxFileMB: Int = Int(VerifyLimits.standard.maxFileBytes >> 20)

    @Option(name: .customLong("max-ratio"), help: "The most a zip entry over 1 MiB may inflate per compressed byte (default 200).")
    var maxRatio: Int = Int(VerifyLimits.standard.maxCompressionRatio)

    func validate() throws {
        guard (1...1_048_576).contains(maxFileMB) else { throw ValidationError("--max-file-mb must be from 1 to 1048576.") }
        guard (1...100_000).contains(maxRatio) else { throw ValidationError("--max-ratio must be from 1 to 100000.") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: bundle)
        var limits = VerifyLimits.standard
        limits.maxFileBytes = Int64(maxFileMB) << 20
        limits.maxCompressionRatio = Int64(maxRatio)
        let report = try BundleVerifier.verify(url, limits: limits)
        let shown = TextSanitizer.visible(url.path, limit: 300)
        if output.json {
            Print.json([
                "bundle": .string(url.path), "files": .number(Double(report.files)), "manifest_entries": .number(Double(report.manifestEntries)),
                "ok": .bool(report.problems.isEmpty),
                "problems": .array(report.problems.map { ["path": .string($0.path), "message": .string($0.message)] }),
            ])
        } else if report.problems.isEmpty {
            Print.line("\(shown): \(report.files) files match SHA256SUMS and \(report.manifestEntries) manifest entries match their images.")
        } else {
            Print.line(report.problems.map(\.description).joined(separator: "\n"))
        }
        if !report.problems.isEmpty {
            Print.console.error("\(shown): \(report.problems.count) problem\(report.problems.count == 1 ? "" : "s") found; the bundle does not match itself.")
            throw ExitCode(1)
        }
    }
}
