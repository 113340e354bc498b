"""Group registry (群众团队核准备案), DOMAIN.md G1–G8: the hook implementations."""
