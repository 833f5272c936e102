#!/bin/bash
exec /opt/kafka/bin/kafka-run-tool org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
