import AutoDirectorCore
import Foundation

/// The `--json` shapes of the engine's values: stable, snake_case, one place.
enum JSONRepresentation {
    static func batch(_ batch: Batch) -> JSONValue {
        [
            "id": .string(batch.id), "source": .string(batch.sourceName), "source_sha256": .string(batch.sourceSHA256),
            "format": .string(batch.format.rawValue), "rows": .number(Double(batch.rowCount)),
            "preset": batch.preset.map(JSONValue.string) ?? .null, "created_at": .string(batch.createdAt.iso8601),
            "planned_at": batch.plannedAt.map { .string($0.iso8601) } ?? .null,
        ]
    }

    static func summary(_ summary: ShotSummary) -> JSONValue {
        [
            "shot_id": .string(summary.shot.id), "batch": .string(summary.shot.batchID), "subject": .string(summary.shot.subject),
            "version": .number(Double(summary.shot.latestVersion)), "hash": .string(summary.hash),
            "render_status": .string(summary.renderStatus.rawValue), "review": .string(summary.review.rawValue),
            "approved_stages": .array(summary.approvedStages.map(JSONValue.string)),
        ]
    }

    static func version(_ version: ShotVersion, includeSpec: Bool) -> JSONValue {
        var object: JSONObject = [
            "shot_id": .string(version.shotID), "version": .number(Double(version.number)), "hash": .string(version.hash),
            "parent_hash": version.parentHash.map(JSONValue.string) ?? .null, "seed": .number(Double(version.seed)),
            "origin": .string(version.origin.rawValue), "created_at": .string(version.createdAt.iso8601),
            "render_status": .string(version.renderStatus.rawValue), "review": .string(version.review.rawValue),
            "review_note": version.reviewNote.map(JSONValue.string) ?? .null,
            "reviewer": version.reviewer.map(JSONValue.string) ?? .null,
            "approved_stages": .array(version.approvedStages.map(JSONValue.string)),
            "rules_applied": .array(version.rulesApplied.map(\.json)),
        ]
        if includeSpec { object["spec"] = .object(version.spec) }
        return .object(object)
    }

    static func change(_ change: JSONChange) -> JSONValue {
        [
            "path": .string(change.dottedPath), "pointer": .string(change.pointer.description),
            "kind": .string(change.kind.rawValue), "old": change.oldValue ?? .null, "new": change.newValue ?? .null,
        ]
    }
}

extension JSONRepresentation {
    static func job(_ job: RenderJob) -> JSONValue {
        var counts = JSONObject()
        for state in JobItem.State.allCases { counts[state.rawValue] = .number(Double(job.counts[state] ?? 0)) }
        return [
            "id": .number(Double(job.id)), "state": .string(job.state.rawValue), "provider": job.provider.map(JSONValue.string) ?? .null,
            "force": .bool(job.force), "total": .number(Double(job.total)), "reason": job.reason.map(JSONValue.string) ?? .null,
            "created_at": .string(job.createdAt.iso8601), "started_at": job.startedAt.map { .string($0.iso8601) } ?? .null,
            "finished_at": job.finishedAt.map { .string($0.iso8601) } ?? .null, "items": .object(counts), "retries": .number(Double(job.retries)),
        ]
    }

    static func item(_ item: JobItem) -> JSONValue {
        [
            "shot_id": .string(item.shotID), "version": .number(Double(item.version)), "hash": .string(item.hash),
            "state": .string(item.state.rawValue), "attempts": .number(Double(item.attempts)),
            "error": item.error.map(JSONValue.string) ?? .null, "duration_ms": item.durationMS.map { .number(Double($0)) } ?? .null,
            "request_id": item.requestID.map(JSONValue.string) ?? .null, "box": item.box.map(JSONValue.string) ?? .null,
        ]
    }
}
