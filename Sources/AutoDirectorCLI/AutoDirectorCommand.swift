import ArgumentParser

struct AutoDirectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "autodirector",
        abstract: "Deterministic FIBO shot specs from CSVs and storyboards: ingest, plan, review, patch, compare.",
        discussion: """
            With no arguments on a terminal it opens the terminal UI (`tui`).
            Project directory: --project DIR, else $AUTODIRECTOR_PROJECT, else ./.autodirector.
            Shared project: --database URL, else $AUTODIRECTOR_DATABASE_URL (postgres://…); else
            the project directory's SQLite file. Image files: --artifacts DIR (a directory every
            machine mounts) or s3://BUCKET/PREFIX (S3-compatible storage; endpoint, region and keys
            from AWS_ENDPOINT_URL_S3, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
            else $AUTODIRECTOR_ARTIFACTS, else the project directory's artifacts/.
            Exit codes: 0 success, 1 the operation failed, 2 usage error.
            `autodirector --version` prints the version.
            """,
        subcommands: [
            IngestCommand.self, PlanCommand.self, BatchesCommand.self, ShotsCommand.self, ShowCommand.self,
            ApproveCommand.self, RejectCommand.self, RetakeCommand.self, HoldCommand.self, ReleaseCommand.self, UndoCommand.self, ConfigCommand.self,
            NoteCommand.self, ReplyCommand.self, NotesCommand.self, ResolveCommand.self, ReopenCommand.self, AssignCommand.self, UnassignCommand.self, LogCommand.self, RerenderCommand.self, RefineCommand.self, InspireCommand.self, VariantsCommand.self, VersionsCommand.self,
            CompareCommand.self, ExplainCommand.self, RenderCommand.self, WorkerCommand.self, WorkersCommand.self, JobsCommand.self, CancelCommand.self, RetryCommand.self,
            RunCommand.self, TUICommand.self, ExportCommand.self, VerifyCommand.self, InspectCommand.self, HealthCommand.self, DoctorCommand.self, MigrateCommand.self, ServeCommand.self, MetricsCommand.self, CanonCommand.self, HashCommand.self, BenchCommand.self,
        ]
    )

    /// `autodirector --project DIR shots`: given before the subcommand, ArgumentParser decodes
    /// it into the subcommand's own `ProjectOptions` too (the same option in both commands).
    @OptionGroup var project: ProjectOptions
}
