package dev.bgtask.demo;

import dev.bgtask.Background;

/** An instance method: the worker makes its own WelcomeMailer with the no-argument constructor. */
public class WelcomeMailer {

  @Background(queue = "mail")
  public void sendWelcome(Customer customer) throws InterruptedException {
    Thread.sleep(300); // talking to the mail server
    Progress.done("sent welcome e-mail to " + customer.name() + " <" + customer.email() + ">");
  }
}
