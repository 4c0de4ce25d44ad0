#!/bin/sh
# The secure profile in docker-compose (`docker compose --profile secure up -d kafka-secure`): one
# Apache Kafka node with SASL/SCRAM-SHA-512 on :9192 and ACLs enforced, the same settings as
# `npm run kafka:start -- --secure` (tools/kafka-local/src/broker-files.ts). Passwords come from the
# environment only; SCRAM users are created when the storage is formatted. Apply the registry's ACLs
# from the host afterwards: KAFKA_BROKERS=localhost:9192 KAFKA_SASL_USERNAME=admin
# KAFKA_SASL_PASSWORD=$KAFKA_ADMIN_PASSWORD npm run topics -- acls
set -eu
: "${KAFKA_ADMIN_PASSWORD:?set KAFKA_ADMIN_PASSWORD and KAFKA_PASSWORD_<SERVICE> for every service}"
: "${KAFKA_PASSWORD_ORDER_SERVICE:?}" "${KAFKA_PASSWORD_INVENTORY_SERVICE:?}" "${KAFKA_PASSWORD_DLQ_REPLAYER:?}" "${KAFKA_PASSWORD_NOTIFICATION_LAMBDA:?}"
config=/tmp/server.properties
cat > "$config" <<PROPERTIES
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:9093
listeners=SASL_PLAINTEXT://:9192,CONTROLLER://localhost:9093
advertised.listeners=SASL_PLAINTEXT://localhost:9192
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${KAFKA_ADMIN_PASSWORD}";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=/var/lib/kafka/data
auto.create.topics.enable=false
num.partitions=3
default.replication.factor=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPERTIES
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  /opt/kafka/bin/kafka-storage.sh format -t "${CLUSTER_ID}" -c "$config" --standalone \
    --add-scram "SCRAM-SHA-512=[name=admin,password=${KAFKA_ADMIN_PASSWORD}]" \
    --add-scram "SCRAM-SHA-512=[name=order-service,password=${KAFKA_PASSWORD_ORDER_SERVICE}]" \
    --add-scram "SCRAM-SHA-512=[name=inventory-service,password=${KAFKA_PASSWORD_INVENTORY_SERVICE}]" \
    --add-scram "SCRAM-SHA-512=[name=dlq-replayer,password=${KAFKA_PASSWORD_DLQ_REPLAYER}]" \
    --add-scram "SCRAM-SHA-512=[name=notification-lambda,password=${KAFKA_PASSWORD_NOTIFICATION_LAMBDA}]"
fi
exec /opt/kafka/bin/kafka-server-start.sh "$config"
