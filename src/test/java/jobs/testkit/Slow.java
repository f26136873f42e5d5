package jobs.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test that takes long on purpose: volume (a soak, forty jobs, a hundred starts, twenty
 * daemon kills) or a deliberate wait of ten seconds or more that it exists to check. The whole
 * suite runs it; the inner loop of README's "Development" leaves it out (-DexcludedGroups=slow).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {}
