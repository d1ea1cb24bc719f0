package io.switchboard.engine.distributed;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.switchboard.engine.BrokerContract;

/** Stands in for local delivery in {@link DistributedBrokerContractTest}, whose profile selects it. */
@Alternative
@ApplicationScoped
public class RecordingHandler extends BrokerContract.Recorder {
}
