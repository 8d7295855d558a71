package io.venomqa.runner;

import io.venomqa.journey.Journey;

import java.util.List;

/**
 * Exposes journeys to tools that find them on a class path, such as {@code venomqa run}: register
 * an implementation in {@code META-INF/services/io.venomqa.runner.JourneyProvider} (it needs a
 * public no-argument constructor). Tools call {@link #journeys()} once per run and run the journeys
 * in the order returned; journey names should be unique across providers, since reports are named
 * after them.
 */
public interface JourneyProvider {

    /** The journeys to run; built fresh on each call. */
    List<Journey> journeys();
}
