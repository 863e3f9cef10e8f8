import ArgumentParser
import AutoDirectorCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a batch's bundle: manifest.json, report.json, report.md, images/, SHA256SUMS (and a zip with --zip).",
        discussion: "The bundle's bytes depend only on the project's state: exporting twice gives identical files and zips.")

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "The batch id.")
    var batch: String

    @Option(name: .long, help: "Where to write DIR/<batch>/ (default: ./exports).")
    var out: String?

    @Flag(name: .long, help: "Also write DIR/<batch>.zip.")
    var zip = false

    @Flag(name: .long, help: "Only approved versions.")
    var approved = false

    @Flag(name: .long, help: "Every version, not only the latest.")
    var allVersions = false

    func run() throws {
        let progress = ExportProgress(console: Print.console)
        let engine = try project.engine()
        let options = ExportOptions(
            directory: try engine.exportFolder(out.map { URL(fileURLWithPath: $0, isDirectory: true) }, default: .workingDirectory),
            zip: zip, approvedOnly: approved, allVersions: allVersions, progress: { done, total in progress.update(done, total) })
        let result = try engine.export(batchID: batch, options: options)
        if output.json {
            Print.json([
                "directory": .string(result.directory.path), "zip": result.zip.map { .string($0.path) } ?? .null,
                "entries": .number(Double(result.entries)), "images": .number(Double(result.images)),
            ])
        } else {
            Print.line("Exported \(result.entries) entr\(result.entries == 1 ? "y" : "ies") (\(result.images) image\(result.images == 1 ? "" : "s")) to \(TextSanitizer.visible(result.directory.path))")
            if let zip = result.zip { Print.line("Zip: \(TextSanitizer.visible(zip.path))") }
        }
    }
}
