import Foundation

/// Cost before commitment (SPEC §18): what a render will call and cost, what was spent.
extension Engine {
    /// What `enqueueRender` with these arguments followed by running every pending job would
    /// send to the provider: one call per distinct spec hash not rendered yet (all of them
    /// with `force`), among the versions it would queue and the items already waiting.
    public func renderEstimate(shots: [String] = [], batchID: String? = nil, force: Bool = false, prices: ImagePrices?) throws -> RenderEstimate {
        let targets = try latestVersions(shots: shots, batchID: batchID)
        let only = shots.isEmpty ? nil : shots
        let waiting = try store.waitingVersions(shotIDs: only)
        let rendered = try store.renderedHashes(among: only == nil ? nil : targets.map(\.hash))
        let notWaiting = targets.filter { waiting[VersionKey(shotID: $0.shotID, version: $0.version)] == nil }
        let fresh = force ? notWaiting : notWaiting.filter { !rendered.contains($0.hash) }
        let queued = try store.waitingHashes()
        let queuedRendered = try store.renderedHashes(among: Array(Set(queued)))
        var hashes = Set(fresh.map(\.hash))
        hashes.formUnion(queued.filter { !queuedRendered.contains($0) })
        let kinds = try kinds(of: hashes, prices: prices)
        return RenderEstimate(
            versions: fresh.count + queued.count, cached: force ? 0 : notWaiting.count - fresh.count,
            callsByKind: kinds.counts, cost: kinds.cost)
    }

    /// What rendering these (seed variants, each on its own) will call and cost: one call per
    /// distinct hash the cache does not hold.
    public static func estimate(of prepared: [PreparedRender], prices: ImagePrices?) -> RenderEstimate {
        var counts: [String: Int] = [:]
        var cost: Double? = prices == nil ? nil : 0
        var seen: Set<String> = []
        for each in prepared where each.cached == nil && seen.insert(each.request.hash).inserted {
            let parameters = GenerationParameters(member: each.request.specMember(GenerationParameters.key))
            counts[parameters.priceKey, default: 0] += 1
            if let running = cost { cost = prices?.price(of: parameters).map { running + $0 } }
        }
        return RenderEstimate(versions: prepared.count, cached: prepared.count - seen.count, callsByKind: counts, cost: cost)
    }

    /// Billed renders since `since` (all when nil) — a job's items rendered by the provider or
    /// accepted by it, and renders made outside a job (seed variants, serve's single render) —
    /// and what they cost at `prices` (nil without prices, or when one has none).
    public func spend(since: Date?, prices: ImagePrices?) throws -> (calls: Int, amount: Double?) {
        let billed = try store.billedHashes(since: since)
        let direct = try store.directRenderGenerations(since: since).map { text in
            GenerationParameters(member: text.flatMap { try? JSONParser.parse($0, maxDepth: JSONDepth.storedLimit) })
        }
        let calls = billed.count + direct.count
        guard let prices else { return (calls, nil) }
        let parameters = try store.generationParameters(ofHashes: Set(billed))
        var amount = 0.0
        for each in billed.map({ parameters[$0] ?? GenerationParameters() }) + direct {
            guard let price = prices.price(of: each) else { return (calls, nil) }
            amount += price
        }
        return (calls, amount)
    }

    /// The start of today (UTC) by the engine's clock: `FIBO_BUDGET` is per project per day.
    public var startOfToday: Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        return calendar.startOfDay(for: clock())
    }

    /// Calls by kind (`GenerationParameters.priceKey`) and their cost (nil when a kind has no price).
    private func kinds(of hashes: Set<String>, prices: ImagePrices?) throws -> (counts: [String: Int], cost: Double?) {
        let parameters = try store.generationParameters(ofHashes: hashes)
        var counts: [String: Int] = [:]
        var cost: Double? = prices == nil ? nil : 0
        for hash in hashes {
            let each = parameters[hash] ?? GenerationParameters()
            counts[each.priceKey, default: 0] += 1
            if let running = cost { cost = prices?.price(of: each).map { running + $0 } }
        }
        return (counts, cost)
    }
}
