import Testing
@testable import AutoDirectorCore

@Suite struct HashGroupsTests {
    private func request(_ shot: String, _ hash: String) -> RenderRequest {
        RenderRequest(shotID: shot, version: 1, hash: hash, spec: [:], seed: 1)
    }

    /// Identical hashes join one group, handed out once in the order hashes first came; once a
    /// group settles, later requests with its hash settle at once; a group closed without a
    /// settlement (its render was stopped) lets a later request open a new one.
    @Test func identicalHashesRenderOnceAndSettleLaterRequests() {
        var groups = HashGroups()
        #expect(groups.add(request("A", "h1")) == nil)
        #expect(groups.add(request("B", "h2")) == nil)
        #expect(groups.add(request("C", "h1")) == nil)
        #expect(groups.hasWaiting)
        let first = groups.next(1)
        #expect(first.map(\.group.first.shotID) == ["A"])
        #expect(first.first?.group.more.map(\.shotID) == ["C"])
        let second = groups.next(8)
        #expect(second.map(\.group.first.shotID) == ["B"])
        #expect(!groups.hasWaiting)

        let closed = groups.close(first[0].id, settlement: .init(state: .done))
        #expect(closed?.all.map(\.shotID) == ["A", "C"])
        #expect(groups.close(first[0].id, settlement: .init(state: .done)) == nil)
        #expect(groups.add(request("D", "h1")) == .init(state: .done))

        _ = groups.close(second[0].id, settlement: nil)
        #expect(groups.add(request("E", "h2")) == nil)
        #expect(groups.next(8).map(\.group.first.shotID) == ["E"])
    }

    /// A box that lost an item's lease and claimed it again while the stale claim's group was
    /// still open: the new claim renders in a group of its own (the stale one is fenced), and
    /// the stale group's close does not take the hash from it.
    @Test func anItemClaimedAgainRendersApartFromItsStaleClaim() {
        func leased(_ shot: String, item: Int64, attempt: Int64) -> RenderRequest {
            var request = request(shot, "h1")
            request.jobItemID = item
            request.leaseAttempt = attempt
            return request
        }
        var groups = HashGroups()
        #expect(groups.add(leased("A", item: 7, attempt: 1)) == nil)
        let stale = groups.next(8)
        #expect(groups.add(leased("A", item: 7, attempt: 2)) == nil)
        let fresh = groups.next(8)
        #expect(fresh.map(\.group.first.leaseAttempt) == [2], "the new claim is a group of its own")
        #expect(fresh.first?.group.more.isEmpty == true)
        // Another item with the hash joins the group that will really render it.
        #expect(groups.add(leased("B", item: 8, attempt: 1)) == nil)
        _ = groups.close(stale[0].id, settlement: nil)
        let rendered = groups.close(fresh[0].id, settlement: .init(state: .done))
        #expect(rendered?.all.map(\.shotID) == ["A", "B"])
        #expect(groups.add(leased("C", item: 9, attempt: 1)) == .init(state: .done))
    }
}
