package io.venomqa.spring;

import io.venomqa.spring.internal.Checkpoints;
import io.venomqa.spring.internal.ManagedDatabase;
import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.TestExecutionListener;

/**
 * The checkpoints of {@link VenomQASpringTest}, one per test class and one per test method, as a Spring
 * {@link TestExecutionListener}. It is registered for every test class through
 * {@code META-INF/spring.factories} and does nothing for a class without {@code @VenomQASpringTest}
 * (whose application context it does not even ask for).
 *
 * <p>What it guarantees: its {@link #getOrder() order} ({@value #ORDER}) puts each checkpoint before
 * Spring's {@code TransactionalTestExecutionListener} (4000) begins a {@code @Transactional} test's
 * transaction and before {@code SqlScriptsTestExecutionListener} (5000) runs {@code @Sql} scripts
 * (those of the method, and of the class with {@code BEFORE_TEST_CLASS}), and each rollback after both
 * (Spring calls the {@code after…} methods in reverse order). So the rows of {@code @Sql} scripts,
 * of a {@code @Transactional} test and of the test itself are undone after each test (class), whichever
 * of {@code @SpringBootTest} and {@code @VenomQASpringTest} is written first. (Until 2026-12-06 the JUnit
 * extension took them, and JUnit calls extensions in the order the annotations are written: with
 * {@code @SpringBootTest} first, Spring's work came before the checkpoint and stayed.)
 *
 * <p>Before the class's checkpoint it takes the application context's one slot for the class (classes
 * of one context share its transaction: a second class started meanwhile fails saying so); a
 * {@code @Nested} class goes on inside its enclosing class's slot, with a checkpoint of its own inside
 * the enclosing class's. With {@code isolation = false} it takes only the slot.
 *
 * <p>A class that declares {@code @TestExecutionListeners} without
 * {@code mergeMode = MergeMode.MERGE_WITH_DEFAULTS} drops Spring's default listeners, this one among them:
 * its tests then fail before they run, saying so ({@link VenomQASpringExtension}), rather than share rows.
 */
public final class VenomQATestExecutionListener implements TestExecutionListener, Ordered {

    /** Before {@code TransactionalTestExecutionListener} (4000) and {@code SqlScriptsTestExecutionListener} (5000). */
    public static final int ORDER = 3900;

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void beforeTestClass(TestContext testContext) {
        VenomQASpringTest settings = settings(testContext);
        if (settings == null) {
            return;
        }
        ManagedDatabase db = database(testContext.getApplicationContext());
        if (db == null) {
            return; // the JUnit extension says what is missing, with the class's name
        }
        String who = testContext.getTestClass().getName();
        boolean nested = nestedInRunningClass(testContext.getTestClass(), db);
        if (!nested) {
            db.enter(who);
        }
        if (settings.isolation()) {
            try {
                // A @Nested class's checkpoint sits inside its enclosing class's: what Spring runs for the nested
                // class (its inherited BEFORE_TEST_CLASS scripts) is undone after it.
                db.classCheckpoint(who, Checkpoints.take(db, "spring-class-", testContext.getTestClass().getSimpleName(), true));
            } catch (RuntimeException e) {
                if (!nested) {
                    db.exit(who);
                }
                throw e;
            }
        }
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        ManagedDatabase db = settings(testContext) == null || !testContext.hasApplicationContext() ? null
                : database(testContext.getApplicationContext());
        if (db == null) {
            return;
        }
        String who = testContext.getTestClass().getName();
        try {
            Checkpoints.Held held = db.classCheckpoint(who, null);
            if (held != null) {
                Checkpoints.giveBack(held, "test class " + who, who);
            }
        } finally {
            db.exit(who); // only when it holds the slot: not for a @Nested class
        }
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        VenomQASpringTest settings = settings(testContext);
        if (settings == null || !settings.isolation()) {
            return;
        }
        ManagedDatabase db = database(testContext.getApplicationContext());
        if (db != null) {
            db.methodCheckpoint(Checkpoints.take(db, "spring-", testContext.getTestMethod().getName(), false));
        }
    }

    @Override
    public void afterTestMethod(TestContext testContext) {
        if (settings(testContext) == null || !testContext.hasApplicationContext()) {
            return;
        }
        ManagedDatabase db = database(testContext.getApplicationContext());
        Checkpoints.Held held = db == null ? null : db.methodCheckpoint(null);
        if (held != null) {
            Checkpoints.giveBack(held, "test method " + testContext.getTestClass().getName() + "."
                    + testContext.getTestMethod().getName() + "()", testContext.getTestClass().getName());
        }
    }

    private static VenomQASpringTest settings(TestContext testContext) {
        return TestContextAnnotationUtils.findMergedAnnotation(testContext.getTestClass(), VenomQASpringTest.class);
    }

    /** Whether {@code testClass} is nested in the class that holds {@code db}'s slot. */
    private static boolean nestedInRunningClass(Class<?> testClass, ManagedDatabase db) {
        String running = db.runningClass();
        for (Class<?> c = testClass.getEnclosingClass(); c != null && running != null; c = c.getEnclosingClass()) {
            if (c.getName().equals(running)) {
                return true;
            }
        }
        return false;
    }

    private static ManagedDatabase database(ApplicationContext app) {
        return app.containsBean(ManagedDatabase.BEAN_NAME) ? app.getBean(ManagedDatabase.BEAN_NAME, ManagedDatabase.class) : null;
    }
}
