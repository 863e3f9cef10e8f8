import AutoDirectorCore

/// Renders a version's seed variants for the variants view, one after another (a handful,
/// each cached by its own hash like every render), and makes their previews. Under a budget
/// the provider calls are counted first, and refused past what today has left.
enum VariantsLoader {
    static func load(
        _ engine: Engine, shotID: String, count: Int, provider: any RenderProvider, settings: RenderSettings,
        cost: (prices: ImagePrices?, daily: DailyBudget?)
    ) async throws -> VariantsData {
        let (base, prepared, estimate) = try await Blocking.run {
            let base = try engine.version(of: shotID, number: nil)
            let prepared = try engine.prepareVariants(shotID, seeds: Engine.variantSeeds(of: base, count: count)).variants
            let estimate = Engine.estimate(of: prepared, prices: cost.daily?.prices ?? cost.prices)
            if let daily = cost.daily, let refusal = BudgetText.refusal(try engine.todaysGuard(daily), estimate, nothing: "Nothing was rendered.") {
                throw BudgetRefusal(message: refusal)
            }
            return (base, prepared, estimate)
        }
        var sides: [VariantSide] = []
        for each in prepared {
            let result = try await engine.render(each, provider: provider, settings: settings)
            let preview = try await Blocking.run { () -> PreviewImage? in
                guard result.artifact.mime == "image/png" else { return nil }
                return DetailLoader.downscale(try PNGCodec.decode(try engine.artifactBytes(result.artifact)), sha256: result.artifact.imageSHA256)
            }
            sides.append(VariantSide(seed: result.seed, hash: result.hash, cached: result.cached, preview: preview, artifact: result.artifact))
        }
        return VariantsData(shotID: shotID, base: base, variants: sides, estimate: estimate.sentence)
    }
}
