// The stock-broadcaster flow: its rules, no Kafka. Placeholder until its issue lands.
import BusSchema
