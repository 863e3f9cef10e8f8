import ArgumentParser
import AutoDirectorCore
import Foundation

struct VariantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "variants",
        abstract: "Render alternates of a version with other seeds, or pick one as the next version.",
        discussion: """
            Each variant is the version's spec with another seed: rendered (or found in the cache) by its own hash, like
            every render. --count N takes the N seeds after the version's own; --seeds names them. --pick SEED makes that
            variant the shot's next version (origin variant), keeping everything else.
              autodirector variants PROD-001 --count 4
              autodirector variants PROD-001 --pick 1234567
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var render: RenderOptions
    @OptionGroup var cost: BudgetOptions

    @Argument(help: "The shot id.")
    var shot: String

    @Option(name: .long, help: "How many variants (default 4, at most 64).")
    var count: Int?

    @Option(name: .long, help: "The seeds, comma-separated (instead of --count).")
    var seeds: String?

    @Option(name: .long, help: "Variants of this version instead of the latest.")
    var version: Int?

    @Option(name: .long, help: "Store the variant with this seed as the next version.")
    var pick: UInt32?

    func validate() throws {
        if count != nil && seeds != nil { throw ValidationError("Give --count or --seeds, not both.") }
        if let count, !(1...64).contains(count) { throw ValidationError("--count must be from 1 to 64.") }
        if pick != nil && (count != nil || seeds != nil) { throw ValidationError("--pick stores one variant; it takes no --count or --seeds.") }
    }

    func chosenSeeds(of base: ShotVersion) throws -> [UInt32] {
        guard let seeds else { return Engine.variantSeeds(of: base, count: count ?? 4) }
        let parts = seeds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(UInt32.init)
        guard !parts.isEmpty, values.count == parts.count, values.count <= 64 else {
            throw CommandFailure(message: "--seeds takes up to 64 integers from 0 to 4294967295, comma-separated (got \(TextSanitizer.quoted(seeds))).")
        }
        return values
    }

    func run() async throws {
        let (project, shot, version) = (project, shot, version)
        let engine = try await CommandContext.blocking { try project.engine() }
        if let pick {
            let result = try await CommandContext.blocking { try engine.pickVariant(shot, version: version, seed: pick) }
            if output.json {
                var object = JSONRepresentation.version(result.version, includeSpec: false).objectValue ?? JSONObject()
                object["job_id"] = .number(Double(result.jobID))
                return Print.json(.object(object))
            }
            Print.line("Created \(TextSanitizer.visible(shot)) v\(result.version.number) (hash \(result.version.shortHash), origin variant, seed \(pick)).")
            Print.line("Render queued as job \(result.jobID) (its image is the variant's, when it was rendered).")
            return
        }
        let base = try await CommandContext.blocking { try engine.version(of: shot, number: version) }
        let seeds = try chosenSeeds(of: base)
        let prepared = try await CommandContext.blocking { try engine.prepareVariants(shot, version: version, seeds: seeds).variants }
        let prices = try render.prices()
        let estimate = Engine.estimate(of: prepared, prices: prices)
        if let refusal = try await self.cost.spendGuard(engine, prices: prices)?.refusal(estimate, what: "These variants", nothing: "Nothing was rendered.") {
            throw CommandFailure(message: refusal)
        }
        if !output.json { Print.console.error("Rendering \(prepared.count) variants: \(estimate.sentence).") }
        let settings = try render.settings()
        let provider = try render.makeProvider(concurrency: settings.concurrency)
        var results: [SingleRender] = []
        do {
            // One after another: a handful of renders, each reported as it lands.
            for each in prepared {
                let result = try await engine.render(each, provider: provider, settings: settings)
                results.append(result)
                if !output.json {
                    Print.line("seed \(result.seed)  \(result.hash.prefix(12))  \(result.cached ? "cached  " : "rendered")  \(result.artifact.path)")
                }
            }
        } catch {
            await provider.shutdown()
            if let failure = error as? RenderFailure { throw CommandFailure(message: "A variant failed to render: \(failure.message)") }
            throw error
        }
        await provider.shutdown()
        if output.json {
            Print.json(.array(results.map { result in
                ["seed": .number(Double(result.seed)), "hash": .string(result.hash), "cached": .bool(result.cached),
                 "path": .string(result.artifact.path), "image_sha256": .string(result.artifact.imageSHA256)]
            }))
        } else {
            Print.line("Pick one: autodirector variants \(TextSanitizer.visible(shot)) --pick SEED")
        }
    }
}
