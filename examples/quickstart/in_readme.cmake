# Fails unless README contains EXAMPLE verbatim from its first #include line on.
file(READ "${EXAMPLE}" example)
file(READ "${README}" readme)
string(FIND "${example}" "#include" start)
string(SUBSTRING "${example}" ${start} -1 body)
string(FIND "${readme}" "${body}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "README.md no longer shows ${EXAMPLE}; copy the file's code into the README's example")
endif()
