// Compiled by CTest (src/datasec/CMakeLists.txt): without ACCORD_COMPILE_FAIL_CONTROL this must NOT
// compile (personal data handed to the logger); with it, the same call with an Id must compile.
#include <string>

#include "common/clock.h"
#include "datasec/log.h"
#include "datasec/personal_data.h"

void LogIt(accord::datasec::Logger& logger) {
  accord::datasec::PersonalData<std::string> name("Ada Testwright");
#ifdef ACCORD_COMPILE_FAIL_CONTROL
  logger.Info("login", {{"client", accord::datasec::Id("sg-mom-employment-pass")}});
  (void)name;
#else
  logger.Info("login", {{"name", name}});
#endif
}
