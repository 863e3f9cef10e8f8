import ArgumentParser
import AutoDirectorCore
import Foundation

/// `inspect IMAGE`: the provenance an exported picture carries (SPEC §18).
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print the provenance an exported PNG carries: spec hash, seed, provider, model, request id, time and structured prompt.",
        discussion: "Reads the picture's autodirector:provenance text chunk, written by export. Exits 1 when the file carries none or it was damaged. Needs no project.")

    @OptionGroup var output: OutputOptions

    @Argument(help: "A PNG from an export bundle (images/<shot>_v<N>.png).")
    var image: String

    func run() throws {
        let url = URL(fileURLWithPath: image)
        let shown = TextSanitizer.visible(url.path, limit: 300)
        let finding: PNGTextScanner.Finding
        do { finding = try ImageProvenance.read(fileAt: url) } catch {
            Print.console.error("\(error)")
            throw ExitCode(1)
        }
        let text: String
        switch finding {
        case .text(let found): text = found
        case .absent:
            Print.console.error("\(shown) carries no AutoDirector provenance (only pictures written by export do).")
            throw ExitCode(1)
        case .damaged:
            Print.console.error("\(shown): its provenance was edited (the chunk's CRC does not match its bytes); it cannot be trusted.")
            throw ExitCode(1)
        case .notPNG:
            Print.console.error("\(shown) is not a complete PNG.")
            throw ExitCode(1)
        }
        guard let provenance = ImageProvenance.parse(text) else {
            Print.console.error("\(shown): its provenance is not a JSON object; it cannot be trusted.")
            throw ExitCode(1)
        }
        if output.json {
            Print.json(provenance)
            return
        }
        func value(_ key: String) -> String {
            guard let member = provenance[key], member != JSONValue.null else { return "-" }
            return TextSanitizer.visible(member.stringValue ?? JSONWriter.compact(member), limit: 200)
        }
        Print.line("\(value("shot_id")) v\(value("version")) — \(shown)")
        Print.table(
            ["field", "value"],
            ImageProvenance.fieldOrder.dropFirst(2).map { [$0.replacingOccurrences(of: "_", with: " "), value($0)] }, maxCellWidth: 80)
        Print.line("structured prompt:")
        Print.json(provenance["structured_prompt"] ?? .null)
    }
}
