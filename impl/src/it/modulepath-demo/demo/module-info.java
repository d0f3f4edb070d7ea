/** A consumer of asyncio4j on the module path, compiled and run by ModulePathConsumerIT. */
module demo {
    requires org.asyncio4j;
}
