import ArticlePublisherFlow
import BusKafka
import BusRuntime
import BusSchema
import CustomerSyncFlow
import Foundation
import OrderIngestFlow
import PaymentLettererFlow
import StatusNotifierFlow
import StockBroadcasterFlow

/// Everything a run leaves for the report.
struct DemoOutcome {
    let day: BusinessDay
    let journal: BusJournal
    let erp: ERPSimulator
    let site: SiteSimulator
    /// The site's live queries and the ERP's price answers.
    let queries: SiteQueries
    let priceDesk: ERPPriceDesk
    /// The operator's decisions on the orders held for a person, and order-ingest's answers.
    let decisions: OperatorDecisions
    /// Whether workers were killed, restarted and replicated meanwhile (the chaos run).
    let workersWereRestarted: Bool
    /// How the workers ran, and the name of each flow with its figures, in the report's order.
    let mode: DemoWorkerMode
    let counts: [(name: String, counts: WorkerCounts)]
    /// Why workers stopped on their own, one line each.
    let workerFailures: [String]
    let elapsed: Duration
    /// Why the day did not finish, if it did not.
    let unfinished: String?
    let publishFailures: (count: Int, first: String?)
    /// The partitions the journal could not read to their end after the workers stopped:
    /// the checks would judge a partial day (`Reconciliation.run`).
    let journalGaps: [JournalGap]
}

/// One run of the demo: the cluster, the six workers, the two simulators living the day,
/// until everything the day set off has settled.
final class DemoRun {
    let options: DemoOptions
    let console: any DemoConsole
    private var statusRecords: [OrderNumber: [OrderStatus: ObservedRecord]] = [:]
    private var linkedSites: Set<SiteAccountID> = []
    /// Per ERP account, the e-mail directories customer-sync has filed it in.
    private var directoryEntries: [ERPAccountCode: Int] = [:]
    /// Where the day is, for the progress block.
    private var status = "starting the six workers"
    /// Each flow's group, watched for its progress.
    private var groups: [(name: String, inputs: [String], commits: CommitWatch)] = []
    /// Called on every turn of the day's loop (the chaos run's faults).
    var onTurn: (() throws -> Void)?
    /// Called with every record the day's journal reads, as it reads it (the chaos run times
    /// its kills in the outage by what the workers can read).
    var onRecord: ((ObservedRecord) -> Void)?
    /// Whether something restarts workers that stop on their own (the chaos run, as an
    /// orchestrator): then such a stop does not end the run.
    var workersAreRestarted = false
    /// Called once the day settled, before the workers stop (the chaos run waits there for
    /// the last restarted workers to be ready).
    var beforeStop: (() -> Void)?
    /// When the day (after the opening) began: the chaos run's faults are timed from it.
    private(set) var dayStarted: ContinuousClock.Instant?
    /// The records the simulators published.
    private(set) var published = 0

    init(options: DemoOptions, console: any DemoConsole) {
        self.options = options
        self.console = console
    }

    /// Where the workers' logs and rules files go.
    lazy var workDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("bus-demo-\(options.run.id)")

    /// The cluster, once `run` connected to it.
    private(set) var cluster: DemoClusterConnection?

    func run(workers makeWorkers: (DemoClusterConnection, URL) throws -> [any DemoWorker]) throws -> DemoOutcome {
        let started = ContinuousClock.now
        let day = try BusinessDay(seed: options.seed, orderCount: options.orders, run: options.run)
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: options.catalogue))
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        let cluster = try DemoClusterConnection(options.cluster, topics: catalogue.topics)
        self.cluster = cluster
        console.line("bus demo: run \(options.run), seed \(options.seed), \(day.orders.count) orders, \(day.customers.signUps.count) sign-ups, \(day.catalogue.items.count) SKUs")
        switch options.cluster {
        case .embedded(let brokers):
            console.line("embedded cluster: \(brokers) brokers at \(cluster.bootstrapServers), \(catalogue.topics.count) topics")
        case .external:
            console.line("cluster: \(cluster.bootstrapServers), \(catalogue.topics.count) topics")
        }
        console.line("workers: \(options.workers.rawValue)\(options.workers == .processes ? " (logs in \(workDirectory.path))" : ""); each its own consumer group")
        for (worker, file) in DemoRules.summary { console.line("  \(worker) rules: \(file)") }

        let journal = try BusJournal(config: cluster.config(clientID: "demo-journal"), topics: catalogue.topics, fromEnd: cluster.embedded == nil)
        let workers = try makeWorkers(cluster, workDirectory)
        let producer = try KafkaProducer(config: cluster.config(clientID: "demo-adapters"))
        // Learn every topic's leaders now: a producer's first record to a topic otherwise
        // waits for its metadata, which would count in the first inputs' latencies.
        _ = try producer.topics()
        let publisher = Publisher(producer: producer, seed: options.seed, run: options.run)
        for flow in DemoRules.flows {
            let commits = try CommitWatch(config: cluster.config(clientID: "demo-commit-watch"), group: flow.name)
            commits.watch(flow.inputs.flatMap { topic in (0..<(journal.partitionCounts[topic] ?? 0)).map { TopicPartition(topic: topic, partition: $0) } })
            groups.append((flow.name, flow.inputs, commits))
        }
        let commits = try CommitWatch(config: cluster.config(clientID: "demo-commit-watch"), group: WorkerName.orderIngest.rawValue)
        let erp = ERPSimulator(day: day, publisher: publisher)
        let site = SiteSimulator(day: day, publisher: publisher) { [unowned self] order, status in
            guard let record = self.statusRecords[order]?[status] else { return false }
            return commits.isPast(record)
        }
        let queries = SiteQueries(day: day, publisher: publisher)
        let priceDesk = ERPPriceDesk(day: day, publisher: publisher)
        let decisions = OperatorDecisions(day: day, publisher: publisher)
        var progress = ProgressLine(interval: isatty(STDOUT_FILENO) == 1 ? .milliseconds(250) : .seconds(5))
        var unfinished: String?
        do {
            unfinished = try live(day, journal: journal, publisher: publisher, erp: erp, site: site, queries: (queries, priceDesk), decisions: decisions, commits: commits,
                              workers: workers, progress: &progress, started: started)
        } catch {
            stop(workers)
            throw error
        }
        beforeStop?()
        publisher.flush()
        // Every group takes in its inputs to their end before the workers stop, in every run
        // whose day settled (and after a chaos run's waits, whatever they left): the day is
        // settled for the ERP and the site, not for the bus. A worker can still have inputs
        // no side waits for, such as customer-sync's re-keyed hops after the ERP's last account
        // change, or a killed order-ingest's successor replaying an order the site already saw
        // held, whose business exception follows; stopped then, it never writes them. The
        // journal is read to the end meanwhile, so each hop's records count in the lag.
        let readAtSettle = journal.records.count
        let drainStarted = ContinuousClock.now
        if beforeStop != nil || unfinished == nil {
            let left = try GroupDrain.wait(until: .now + .seconds(60), pause: {}) {
                // A turn reads what comes for a moment; the ends are asked of the brokers (one
                // request per partition) only once no group seems to lag.
                let turnStarted = ContinuousClock.now
                while ContinuousClock.now - turnStarted < .milliseconds(300) {
                    for record in journal.poll(timeout: .milliseconds(50)) { try erp.observe(record) }
                }
                // The ERP's reactions to what it just read are inputs too: in Kafka before the
                // lag is counted, or a hop through the ERP could be missed at the stop.
                publisher.flush()
                for group in groups { group.commits.refresh(force: true) }
                func lagging() -> [String: Int] { Dictionary(uniqueKeysWithValues: counts(journal).map { ($0.name, $0.counts.lag) }) }
                guard lagging().values.allSatisfy({ $0 == 0 }) else { return GroupDrain.Turn(gaps: 0, lagging: lagging()) }
                let gaps = try journal.catchUp(timeout: .seconds(5)) { try erp.observe($0) }
                return GroupDrain.Turn(gaps: gaps.count, lagging: lagging())
            }
            if !left.isEmpty {
                console.line("workers stopped with inputs not taken in after 60 s: " + left.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        let readBeforeStop = journal.records.count
        let drained = ContinuousClock.now - drainStarted
        published = publisher.published
        // Every flow's commits at the end: the inputs it took in, and what it has left.
        for group in groups { group.commits.refresh(force: true) }
        progress.draw(counts(journal), elapsed: .now - started, status: status, force: true)
        let figures = counts(journal)
        let failures = workersAreRestarted ? [] : workers.compactMap(\.failure)
        stop(workers)
        // What the workers sent while stopping, and whatever the journal has not read yet:
        // every partition to its end, so no check judges a journal that stopped short.
        let journalGaps = try journal.catchUp(timeout: .seconds(30)) { try erp.observe($0) }
        // How much came after the day settled: what a reader that stopped then would have missed.
        console.line("after the day: the journal read \(Reconciliation.count(readBeforeStop - readAtSettle, "record")) while the groups finished their inputs "
                     + "(\(String(format: "%.1f", Double(drained.components.seconds) + Double(drained.components.attoseconds) / 1e18)) s), "
                     + "\(journal.records.count - readBeforeStop) after the workers stopped")
        commits.close()
        for group in groups { group.commits.close() }
        journal.close()
        if let path = ProcessInfo.processInfo.environment["BUS_DEMO_JOURNAL"] { try? JournalDump.write(journal, to: path) }
        producer.close()
        return DemoOutcome(day: day, journal: journal, erp: erp, site: site, queries: queries, priceDesk: priceDesk, decisions: decisions, workersWereRestarted: workersAreRestarted, mode: options.workers, counts: figures, workerFailures: failures,
                           elapsed: .now - started, unfinished: unfinished, publishFailures: publisher.failures, journalGaps: journalGaps)
    }

    /// Each flow's figures now.
    private func counts(_ journal: BusJournal) -> [(name: String, counts: WorkerCounts)] {
        groups.map { ($0.name, WorkerCounts(worker: $0.name, inputs: $0.inputs, journal: journal, commits: $0.commits)) }
    }

    // MARK: The day

    /// Opening, then the day's events at their pace, until everything has settled; returns
    /// why not when the time runs out.
    private func live(_ day: BusinessDay, journal: BusJournal, publisher: Publisher, erp: ERPSimulator, site: SiteSimulator,
                      queries live: (site: SiteQueries, erp: ERPPriceDesk), decisions: OperatorDecisions, commits: CommitWatch,
                      workers: [any DemoWorker], progress: inout ProgressLine, started: ContinuousClock.Instant) throws -> String? {
        let deadline = started + options.timeout
        func pump() throws {
            for record in journal.poll(timeout: .milliseconds(5)) {
                note(record)
                onRecord?(record)
                try erp.observe(record)
                try site.observe(record)
                live.site.observe(record)
                live.erp.observe(record)
                decisions.observe(record)
            }
            decisions.advance()
            try erp.advance()
            live.erp.advance()
            for refund in erp.takeRefundRequests() { site.refund(refund.order, amount: refund.amount, at: refund.at) }
            for refund in erp.takeProposedRefunds() { site.refundProposed(refund.order, amount: refund.amount, at: refund.at) }
            try site.advance()
            commits.refresh()
            for group in groups { group.commits.refresh(interval: .seconds(1)) }
            try onTurn?()
            progress.draw(counts(journal), elapsed: .now - started, status: status)
        }

        // Workers ready (assigned, state restored, tables loaded).
        while workers.contains(where: { !$0.isReady }) {
            if !workersAreRestarted, let failure = workers.lazy.compactMap(\.failure).first { return "a worker stopped: \(failure)" }
            guard ContinuousClock.now < deadline else { return "workers not ready: " + workers.compactMap(\.notReadyReason).joined(separator: ", ") }
            try pump()
        }

        // Opening, first the ERP's master data, as it stands before the site opens (in
        // production it has been on the bus for long): customer-sync must know every ERP
        // person's e-mail before the sign-ups, or it asks the ERP to create accounts it has.
        status = "opening: the ERP publishes articles, stock and accounts"
        // An opening that cannot finish ends once nothing moves and no input waits (`DayEnd`).
        var opening = DayEnd(start: .now)
        func openingStalled() -> Bool {
            opening.read(at: journal.lastRecordAt)
            opening.published(publisher.published, at: .now)
            return opening.openingStalled(at: .now, inputsWaiting: counts(journal).contains { $0.counts.lag > 0 })
        }
        try erp.open()
        let people = Dictionary(uniqueKeysWithValues: day.customers.erpAccounts.map { account in
            (account.accountCode, Set(account.kind == .b2c ? [account.email].compactMap { $0 } : account.contacts.compactMap(\.email)).count)
        })
        while people.contains(where: { directoryEntries[$0.key, default: 0] < $0.value }) {
            guard ContinuousClock.now < deadline, !openingStalled() else { return "the ERP's accounts did not reach customer-sync's e-mail directories" }
            try pump()
        }
        // Then the site opens: sign-ups; wait until it shows the catalogue and every sign-up is linked.
        status = "opening: \(day.customers.signUps.count) customers sign up on the site"
        site.open()
        let articles = day.catalogue.shownAtClose.union(day.catalogue.unpublishedAtClose)
        // Those who sign up during the day order a second later: nobody waits for their links.
        let signUps = Set(day.customers.signUps.map(\.account.siteAccountID)).subtracting(day.firstOrders.map(\.account))
        while !(articles.isSubset(of: Set(site.catalogue.keys)) && signUps.isSubset(of: linkedSites)) {
            guard ContinuousClock.now < deadline, !openingStalled() else {
                return "opening did not finish\(opening.quiet(at: .now) >= DayEnd.openingStallAfter ? " (nothing moved for 30 s)" : ""): \(articles.subtracting(site.catalogue.keys).count) articles not shown, \(signUps.subtracting(linkedSites).count) sign-ups not linked"
            }
            try pump()
        }
        // order-ingest reads the identity table in the background: a moment for it to catch up.
        let opened = ContinuousClock.now
        while ContinuousClock.now - opened < .milliseconds(500) { try pump() }

        // The day.
        let dayStart = ContinuousClock.now
        dayStarted = dayStart
        let window = Double(options.dayDuration.components.seconds) + Double(options.dayDuration.components.attoseconds) / 1e18
        var next = 0, placed = 0
        var dayEnd = DayEnd(start: dayStart)
        while true {
            try pump()
            let elapsed = ContinuousClock.now - dayStart
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            while next < day.events.count, wallOffset(day.events[next].at, day: day, window: window) <= seconds {
                let timed = day.events[next]
                try erp.perform(timed.event, at: timed.at)
                live.site.perform(timed.event, at: timed.at)
                try site.perform(timed.event, at: timed.at)
                if case .placeOrder = timed.event { placed += 1 }
                next += 1
            }
            let clock = min(20 * 60, 8 * 60 + Int(seconds / window * 12 * 60))
            status = next < day.events.count
                ? String(format: "the day: %02d:%02d, %d of %d orders placed", clock / 60, clock % 60, placed, day.orders.count)
                : "the day is over: the ERP and the site finish what it set off"
            if !workersAreRestarted, let failure = workers.lazy.compactMap(\.failure).first { return "a worker stopped: \(failure)" }
            // Updates that never stop between the bus and a side will not settle: say so now.
            if let (code, _) = erp.customers.appliedUpdates.first(where: { $0.value > 20 }) { return "the bus keeps sending the ERP changes for \(code)" }
            if let site = site.pingPong.first { return "the bus keeps sending the site changes for \(site)" }
            // Records read and records published both count as movement (see `DayEnd`).
            dayEnd.read(at: journal.lastRecordAt)
            dayEnd.published(publisher.published, at: .now)
            let verdict = dayEnd.verdict(at: .now, allPlayed: next == day.events.count,
                                         sidesSettled: erp.isSettled && site.isSettled && live.erp.isSettled && decisions.isSettled,
                                         inputsWaiting: counts(journal).contains { $0.counts.lag > 0 })
            if verdict == .settled {
                // Settled: every order reserved or gone. The site asks every SKU's availability once more.
                guard live.site.closingAsked else {
                    live.site.askClosing(at: try day.clock.at(hour: 20))
                    continue
                }
                if live.site.closingDone { return nil }
            }
            let stalled = verdict == .stalled
            guard ContinuousClock.now < deadline, !stalled else {
                let orders = Set(erp.desk.unsettled + site.unsettled).sorted()
                return "the day did not settle\(stalled ? " (nothing moved for \(dayEnd.quiet(at: .now).components.seconds) s)" : " in time"): \(day.events.count - next) events not played, "
                    + "\(orders.count) orders short of their end (\(orders.prefix(8).map(\.rawValue).joined(separator: ", ")))"
            }
        }
    }

    /// Seconds after the day's start at which an event of simulated time `at` is played:
    /// 08:00–20:00 spread over the window.
    private func wallOffset(_ at: Instant, day: BusinessDay, window: Double) -> Double {
        let seconds = Double(day.clock.seconds(of: at) - 8 * 3600)
        return max(0, seconds / (12 * 3600) * window)
    }

    /// Keeps what the gates and the opening wait for.
    private func note(_ record: ObservedRecord) {
        if let status = record.message(as: ERPOrderStatus.self), record.topic == Topics.erpOrderStatus {
            statusRecords[status.orderNumber, default: [:]][status.status] = record
        }
        if let link = record.message(as: IdentityLink.self), record.topic == Topics.customerIdentity, link.status == .linked {
            linkedSites.insert(link.siteAccountID)
        }
        // customer-sync files an ERP account in the directory of each of its people's e-mails
        // through its internal topic; once there, a sign-up with that e-mail comes after it.
        if record.topic == "bus.customer-sync.rekey", record.key?.hasPrefix("email:") == true, let account = record.message(as: ERPCustomerAccount.self) {
            directoryEntries[account.accountCode, default: 0] += 1
        }
    }

    // MARK: Workers

    private func stop(_ workers: [any DemoWorker]) {
        for worker in workers { worker.requestStop() }
        for worker in workers { worker.waitUntilStopped() }
    }
}
