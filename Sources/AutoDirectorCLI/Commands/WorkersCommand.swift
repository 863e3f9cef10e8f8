import ArgumentParser
import AutoDirectorCore
import Foundation

/// `autodirector workers`: the render boxes of a shared project, as the database knows them.
struct WorkersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "List a shared project's render boxes: heartbeat age, items in flight, renders done.",
        discussion: """
            A box whose heartbeat is older than its lease (AUTODIRECTOR_LEASE_SECONDS) shows as unresponsive: \
            stopped, frozen or cut off; its items go to the other boxes at the next reaper pass. Boxes that stopped \
            more than an hour ago are left out unless --all.
            """)

    @OptionGroup var project: ProjectOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "Include boxes that stopped more than an hour ago.")
    var all = false

    func run() throws {
        let engine = try project.engine()
        guard engine.isRenderFarm else {
            if output.json { Print.json(.array([])) } else {
                Print.line("No render boxes: the embedded project renders in one process at a time (`render` or `worker`); boxes are a shared project's (AUTODIRECTOR_DATABASE_URL).")
            }
            return
        }
        let lease: Double
        do {
            lease = try RenderSettings.fromEnvironment(CommandContext.current.environment, concurrency: nil).lease.seconds
        } catch let problem as RenderSettings.Problem {
            throw CommandFailure(message: problem.description)
        }
        let boxes = try engine.workers().filter { all || $0.state != .stopped || $0.heartbeatAge < 3600 }
        func state(_ box: RenderWorker) -> String {
            box.state != .stopped && box.heartbeatAge > lease ? "unresponsive" : box.state.rawValue
        }
        if output.json {
            Print.json(.array(boxes.map { box in
                [
                    "name": .string(box.name), "host": .string(box.host), "pid": .number(Double(box.pid)), "state": .string(state(box)),
                    "started_at": .string(box.startedAt.iso8601), "heartbeat_age_seconds": .number((box.heartbeatAge * 10).rounded() / 10),
                    "in_flight": .number(Double(box.inFlight)), "renders_done": .number(Double(box.rendersDone)),
                    "lost_leases": .number(Double(box.lostLeases)),
                ]
            }))
            return
        }
        guard !boxes.isEmpty else {
            Print.line("No render boxes\(all ? "" : " in the last hour"). Start one with `autodirector worker` on each render machine.")
            return
        }
        Print.table(["NAME", "HOST", "PID", "STATE", "HEARTBEAT", "IN FLIGHT", "RENDERED", "LOST", "STARTED"], boxes.map { box in
            [box.name, box.host, String(box.pid), state(box), String(format: "%.1f s ago", box.heartbeatAge), String(box.inFlight),
             String(box.rendersDone), String(box.lostLeases), box.startedAt.iso8601]
        })
    }
}
