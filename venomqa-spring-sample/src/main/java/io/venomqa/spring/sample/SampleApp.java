package io.venomqa.spring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The Spring Boot application the module's tests run against: a small shop with JPA entities with
 * identity keys, a {@code @Transactional} service, a {@code REQUIRES_NEW} audit log, Flyway
 * migrations and an {@code @Async} writer.
 */
@SpringBootApplication
@EnableAsync
@EnableJpaRepositories(considerNestedRepositories = true)
public class SampleApp {

    public static void main(String[] args) {
        SpringApplication.run(SampleApp.class, args);
    }
}
