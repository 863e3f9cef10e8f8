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

    func run() throws {
        let url = URL(fileURLWithPath: bundle)
        let report = try BundleVerifier.verify(url)
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
