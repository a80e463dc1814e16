import BusKafka
import BusSchema
import Foundation

/// `bus publish TOPIC [FILE|-]`: validates a message and publishes it as the bus expects,
/// with the CloudEvents binary-mode headers.
struct PublishCommand: BusCommand {
    let name = "publish"
    let summary = "validate a message file and publish it with CloudEvents headers"
    let usage = """
    usage: bus publish TOPIC [FILE|-] --key K [--type T] [--source S]
      FILE               the message as JSON (default, or -: standard input); a structured CloudEvent
                         (application/cloudevents+json) is accepted and keeps its attributes
      --key K            the record key: the one the topic's key column names (order number, SKU, ...)
      --type T           the message type, e.g. shop.order or shop.order.v1; default from a file named
                         <type>.v<N>.json, else the topic's only type; the version defaults to the newest
      --source S         ce_source, who publishes (default bus/cli)
    \(CatalogueFile.usage)
    \(ClusterConnection.usage)
    The message is validated strictly (unknown fields refused) and every problem listed; an invalid one
    is not published (exit 1). Headers: ce_specversion, ce_id (a fresh UUID), ce_source, ce_type, ce_time
    (now), content-type, ce_dataschema. Prints the partition and offset.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(
            arguments, known: ClusterConnection.flags.union(["key", "type", "source", CatalogueFile.flag]))
        let positionals = try parsed.positionals(["TOPIC", "FILE"], required: 1)
        let topicName = positionals[0]
        let path = positionals.count > 1 ? positionals[1] : "-"
        let explicitType = try parsed.options["type"].map { text throws(UsageError) -> SchemaReference in
            if let reference = SchemaReference(uri: text) { return reference }
            guard let newest = MessageRegistry.standard.versions(of: text).last else {
                throw UsageError(message: "--type \(text) is not a known message type")
            }
            return SchemaReference(messageType: text, version: newest)
        }
        let connection = ClusterConnection(parsed)
        return try attempt(output) {
            let catalogue = try CatalogueFile.load(parsed)
            guard let topic = catalogue.topic(named: topicName), !topic.messageTypes.isEmpty else {
                let carrying = catalogue.topics.filter { !$0.messageTypes.isEmpty }.map(\.name)
                throw CommandFailure("\(topicName) is not a catalogue topic that carries messages (those are: \(carrying.joined(separator: ", ")))")
            }
            guard let key = parsed.options["key"], !key.isEmpty else {
                throw UsageError(message: "--key is required: the key of \(topic.name) is the \(topic.key)")
            }
            let data = try read(path)
            let label = path == "-" ? "standard input" : path
            var (envelope, payload) = try message(in: data, path: path, topic: topic, explicitType: explicitType,
                                                  source: parsed.options["source"] ?? "bus/cli")
            guard topic.messageTypes.contains(envelope.type) else {
                throw CommandFailure("\(topic.name) does not carry \(envelope.type); it carries \(topic.messageTypes.joined(separator: ", "))")
            }
            let reference = envelope.schemaReference ?? SchemaReference(messageType: envelope.type, version: 1)
            envelope.dataSchema = reference.uri
            do throws(SchemaError) {
                _ = try MessageRegistry.standard.decode(
                    messageType: reference.messageType, version: reference.version, from: payload, codec: MessageCodec(strict: true))
            } catch {
                output.error("\(label): not published: \(error.message)")
                for problem in error.problems { output.error("  \(problem)") }
                return .failure
            }
            let value = JSONWriter.compact(try JSONParser().parse(payload))
            let record = ProducerRecord(
                topic: topic.name, key: key, value: value,
                headers: envelope.headers.map { KafkaHeader(key: $0.key, string: $0.value) })
            let producer = try connection.producer()
            defer { producer.close() }
            try connection.requireTopic(record.topic, using: producer)
            let report: DeliveryReport
            do { report = try Delivery(producer: producer).send(record) } catch { throw connection.unreachable(error) }
            output.line("published \(reference) to \(report.topic) partition \(report.partition) offset \(report.offset) (ce_id \(envelope.id))")
            return .success
        }
    }

    private func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandFailure("cannot read \(path)") }
        return data
    }

    /// The envelope to publish with and the payload: from a structured CloudEvent as given,
    /// else a fresh envelope for the type named by `--type`, the file name or the topic.
    private func message(
        in data: Data, path: String, topic: Topic, explicitType: SchemaReference?, source: String
    ) throws -> (Envelope, Data) {
        if let document = try? JSONParser().parse(data), document["specversion"] != nil, document["data"] != nil {
            let (envelope, payload) = try Envelope.readStructured(data)
            if let explicitType, explicitType.messageType != envelope.type {
                throw UsageError(message: "--type \(explicitType.messageType) differs from the CloudEvent's type \(envelope.type)")
            }
            return (envelope, payload)
        }
        var reference = explicitType
        if reference == nil, path != "-", let named = SchemaReference(uri: URL(fileURLWithPath: path).lastPathComponent),
           !MessageRegistry.standard.versions(of: named.messageType).isEmpty {
            reference = named
        }
        if reference == nil, topic.messageTypes.count == 1, let only = topic.messageTypes.first,
           let newest = MessageRegistry.standard.versions(of: only).last {
            reference = SchemaReference(messageType: only, version: newest)
        }
        guard let reference else {
            throw UsageError(message: "cannot tell the message type: pass --type (\(topic.name) carries \(topic.messageTypes.joined(separator: ", ")))")
        }
        let envelope = Envelope(
            id: UUID().uuidString.lowercased(), source: source, type: reference.messageType, time: Instant(Date()),
            dataSchema: reference.uri)
        return (envelope, data)
    }
}
