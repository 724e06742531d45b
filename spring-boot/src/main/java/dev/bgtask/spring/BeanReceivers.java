package dev.bgtask.spring;

import dev.bgtask.InstanceResolver;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The object an instance method's task runs on: the context's bean of the method's class, found by
 * type; behind an AOP proxy (a {@code @Transactional} or {@code @Validated} bean, say), the object
 * it proxies, whose fields hold the injected beans. A class with no bean gets a new instance from
 * its no-argument constructor, as without the starter.
 */
final class BeanReceivers implements InstanceResolver {

  private final ListableBeanFactory beans;

  BeanReceivers(ListableBeanFactory beans) {
    this.beans = beans;
  }

  @Override
  public Object instanceOf(Class<?> type) throws Exception {
    Object bean = beans.getBeanProvider(type).getIfUnique();
    if (bean == null) {
      return BeanUtils.instantiateClass(type);
    }
    while (AopUtils.isAopProxy(bean) && bean instanceof Advised advised) {
      Object target = advised.getTargetSource().getTarget();
      if (target == null || target == bean) {
        break;
      }
      bean = target;
    }
    return bean;
  }
}
