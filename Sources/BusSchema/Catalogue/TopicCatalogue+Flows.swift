extension TopicCatalogue {
    /// Every way `flow`'s declarations disagree with the catalogue; empty when they agree.
    ///
    /// Holds topic → message type → handler one hop apart: the flow's inputs are exactly the
    /// topics the catalogue says it reads as streams (its changelog aside) and its tables those
    /// it reads as tables; it declares a handler for every message type each input carries, and
    /// no other; every (topic, type) it writes is one the catalogue lets it write, and it writes
    /// every topic the catalogue names it a writer of (its dead letters and changelog are the
    /// runtime's; `bus.exceptions` lists every worker, since any may raise a case); a topic it
    /// writes is in `Topics.latestWins` exactly when the catalogue compacts it.
    public func problems<F: Flow>(declaredBy flow: F) -> [CatalogueProblem] {
        let worker = flow.name
        var problems: [CatalogueProblem] = []
        func problem(_ topic: String?, _ reason: String) { problems.append(CatalogueProblem(topic: topic, reason: "\(worker): \(reason)")) }

        let streams = topics.filter { topic in topic.name != flow.changelogTopic && topic.readers.contains { $0.name == worker && $0.reads == .stream } }
        let tables = topics.filter { topic in topic.name != Topics.control && topic.readers.contains { $0.name == worker && $0.reads == .table } }
        if Set(flow.inputs) != Set(streams.map(\.name)) {
            problem(nil, "reads \(flow.inputs.sorted()) as streams; the catalogue says \(streams.map(\.name).sorted())")
        }
        if Set(flow.tables) != Set(tables.map(\.name)) {
            problem(nil, "reads \(flow.tables.sorted()) as tables; the catalogue says \(tables.map(\.name).sorted())")
        }

        let declared = Set(flow.handlers.map(\.input))
        if declared.count != flow.handlers.count { problem(nil, "declares a (topic, message type) handler twice") }
        for topic in streams {
            for type in topic.messageTypes where !declared.contains(TopicMessage(topic.name, type)) {
                problem(topic.name, "no handler declared for \(type), which the topic carries")
            }
        }
        for row in declared.sorted() {
            guard let topic = topic(named: row.topic), flow.inputs.contains(row.topic) else {
                problem(row.topic, "a handler for \(row.messageType) on a topic that is not one of its inputs")
                continue
            }
            if !topic.messageTypes.contains(row.messageType) { problem(row.topic, "a handler for \(row.messageType), which the topic does not carry") }
        }

        for route in flow.requests {
            let declared = topic(named: route.request.topic)?.replyTopic
            if declared != route.answer.topic {
                problem(route.request.topic, "answers its requests on \(route.answer.topic); the catalogue's reply_topic says \(declared ?? "none")")
            }
        }

        let writes = Set(flow.writes)
        for row in writes.sorted() {
            guard let topic = topic(named: row.topic) else { problem(row.topic, "writes a topic the catalogue does not have"); continue }
            if !topic.writers.contains(worker) { problem(row.topic, "writes it; the catalogue does not name it a writer") }
            if !topic.messageTypes.contains(row.messageType) { problem(row.topic, "writes \(row.messageType), which the topic does not carry") }
            if (topic.cleanup == .compact) != Topics.latestWins.contains(topic.name) {
                problem(row.topic, "is \(topic.cleanup.rawValue) in the catalogue but \(Topics.latestWins.contains(topic.name) ? "in" : "not in") Topics.latestWins, which gives its ids")
            }
        }
        let runtimeTopics: Set = [flow.deadLetterTopic, flow.changelogTopic, Topics.exceptions]
        for topic in topics where topic.writers.contains(worker) && !runtimeTopics.contains(topic.name) {
            if !writes.contains(where: { $0.topic == topic.name }) { problem(topic.name, "named a writer by the catalogue, declares no write to it") }
        }
        return problems
    }
}
